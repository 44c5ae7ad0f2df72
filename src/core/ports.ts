/**
 * The interfaces the core needs from the outside world. Providers implement them; tests fake them.
 * Each feature owns its section; keep sections small and documented.
 */

// ---- embeddings and vectors (index / ask) ----

/** Turns text into dense vectors. `id` names the model so an index built by another one is refused. */
export interface Embedder {
  /** Stable identity, e.g. "lsa-256", "transformers:Xenova/all-MiniLM-L6-v2", "ollama:nomic-embed-text". */
  readonly id: string;
  /** Vector length; known before the first call (read from the model's config where needed). */
  dimension(): Promise<number>;
  /** Embeds passages to be stored. Vectors are L2-normalised. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** Embeds a search query (some models want a different prefix for queries). Vector is L2-normalised. */
  embedQuery(text: string): Promise<Float32Array>;
}

/** Nearest-neighbour search over normalised vectors (cosine). Labels are dense section ids. */
export interface VectorStore {
  add(label: number, vector: Float32Array): void;
  remove(label: number): void;
  /** Up to k nearest labels with cosine similarity in [-1, 1]. */
  search(vector: Float32Array, k: number): Array<{ label: number; similarity: number }>;
  /** The stored vector of a live label (for exact scoring of lexical candidates). */
  get(label: number): Float32Array | undefined;
  /** Stored vectors (an upper bound on live ones). */
  size(): number;
  save(path: string): Promise<void>;
}

/** Creates or opens vector stores; the dimension is stored by opsctl, never guessed from the file. */
export interface VectorStoreFactory {
  /** Async so a native library can load on first use rather than when the provider module is imported. */
  create(dimension: number): Promise<VectorStore>;
  /** Throws when the file is missing or unreadable. */
  load(path: string, dimension: number): Promise<VectorStore>;
  /**
   * A cheap integrity check of a saved file (header, size, dimension) that loads neither the file nor the library:
   * for an index searched exactly, whose vector file is kept for updates and larger indexes. Throws when damaged.
   */
  verify(path: string, dimension: number): Promise<void>;
}

// ---- LLMs (ask, runbook authoring, diagnose) ----

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  messages: ChatMessage[];
  /** 0 for reproducible, grounded answers. */
  temperature?: number;
  maxTokens?: number;
  /** Aborts the request (Ctrl-C, timeout). */
  signal?: AbortSignal;
}

export interface LlmClient {
  /** e.g. "ollama:llama3.1" or "bedrock:amazon.nova-lite-v1:0". */
  readonly id: string;
  complete(req: LlmRequest): Promise<string>;
  /** Yields text deltas as they arrive. */
  stream(req: LlmRequest): AsyncIterable<string>;
  /**
   * Present when this client masks secrets before sending (a backend off this machine): the same step, so a
   * use-case can show the prompt as sent and check the answer against what the model saw.
   */
  readonly redaction?: { apply(messages: ChatMessage[]): Promise<{ messages: ChatMessage[]; counts: Record<string, number | undefined>; total: number }> };
}

// ---- AWS ----

/** A CloudWatch alarm as opsctl needs it to build a query or triage. */
export interface AlarmInfo {
  name: string;
  description?: string;
  metricName?: string;
  namespace?: string;
  dimensions: Array<{ name: string; value: string }>;
  state?: string;
  stateReason?: string;
  statistic?: string;
  threshold?: number;
  comparison?: string;
}

export interface AlarmSource {
  /** Throws OpsctlError('aws') with a hint when the alarm does not exist or AWS is unreachable. */
  describeAlarm(name: string): Promise<AlarmInfo>;
}

// ---- time and people ----

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Asks a human a yes/no question; resolves false unless they clearly said yes. */
export interface Confirm {
  ask(question: string): Promise<boolean>;
}

// ---- ECS (rollback, triage) ----

/** One container of a task definition. Environment VALUES are never carried: only names, so they cannot leak. */
export interface ContainerSummary {
  name: string;
  image: string;
  /** Names of `environment` entries and `secrets` (both become env vars in the container), sorted. */
  envNames: string[];
}

/** The parts of a task definition a rollback plan compares. */
export interface TaskDefinitionInfo {
  arn: string;
  family: string;
  revision: number;
  /** ACTIVE, INACTIVE or DELETE_IN_PROGRESS. */
  status: string;
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  registeredAt?: Date;
  containers: ContainerSummary[];
}

export interface EcsDeployment {
  id: string;
  /** PRIMARY (newest), ACTIVE (being replaced) or INACTIVE. */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  /** COMPLETED, FAILED or IN_PROGRESS; absent for some controllers (and for moto's older records). */
  rolloutState?: string;
  rolloutStateReason?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface EcsServiceEvent {
  id: string;
  createdAt?: Date;
  message: string;
}

export interface EcsServiceInfo {
  cluster: string;
  name: string;
  arn?: string;
  /** ACTIVE, DRAINING or INACTIVE. */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  deployments: EcsDeployment[];
  /** Newest first, as ECS returns them. */
  events: EcsServiceEvent[];
  /** The service's load balancer attachments (absent when the source does not say). */
  loadBalancers?: EcsLoadBalancer[];
}

/** One load balancer attachment of a service; ALB/NLB ones carry a target group ARN (classic ones do not). */
export interface EcsLoadBalancer {
  targetGroupArn?: string;
}

/** Services of one cluster, described; `truncated` when the cluster has more than the limit asked for. */
export interface EcsServiceList {
  services: EcsServiceInfo[];
  truncated: boolean;
}

/**
 * What rollback and triage need from ECS. Implementations throw OpsctlError('aws') with a readable message
 * and hint (not found, access denied naming the permission, no credentials, throttled).
 */
export interface EcsGateway {
  describeService(cluster: string, service: string): Promise<EcsServiceInfo>;
  /** Accepts an ARN or "family:revision". */
  describeTaskDefinition(ref: string): Promise<TaskDefinitionInfo>;
  /** ARNs of the family's task definitions with the given status (default ACTIVE), any order. */
  listTaskDefinitions(family: string, status?: 'ACTIVE' | 'INACTIVE'): Promise<string[]>;
  /** Points the service at a task definition; the desired count is left unchanged. */
  updateService(cluster: string, service: string, taskDefinition: string): Promise<EcsServiceInfo>;
  /** Names of the region's clusters (ListClusters, all pages). */
  listClusters(): Promise<string[]>;
  /** The cluster's services, described in batches of 10; at most `limit` of them (default all). */
  listServices(cluster: string, limit?: number): Promise<EcsServiceList>;
}

/** Who the AWS credentials belong to (STS GetCallerIdentity), for the audit trail. */
export interface CallerIdentity {
  account?: string;
  arn?: string;
  userId?: string;
}

export interface IdentitySource {
  /** Throws when the caller cannot be identified; audit callers tolerate that. */
  whoami(): Promise<CallerIdentity>;
}

// ---- CloudWatch Logs (logs reduce, diagnose) ----

/** One log event as `logs reduce` needs it. */
export interface LogEvent {
  /** Milliseconds since the epoch. */
  timestamp: number;
  message: string;
  stream?: string;
}

export interface LogQuery {
  group: string;
  /** Inclusive start, ms since the epoch. */
  startTime?: number;
  /** Inclusive end, ms since the epoch. */
  endTime?: number;
  /** CloudWatch Logs filter pattern syntax. */
  filterPattern?: string;
  signal?: AbortSignal;
}

/**
 * Reads log events in time order, page by page (FilterLogEvents). Implementations back off and go on when
 * throttled, and throw OpsctlError('aws') with a hint when the group does not exist or access is denied.
 */
export interface LogSource {
  events(query: LogQuery): AsyncIterable<LogEvent>;
}

// ---- CloudWatch metrics (triage) ----

/** One metric of an alarm, read back with GetMetricData. */
export interface MetricQuery {
  namespace: string;
  metricName: string;
  dimensions: Array<{ name: string; value: string }>;
  /** Average, Sum, Maximum, p99, ... (the alarm's own statistic). */
  statistic: string;
  periodSeconds: number;
  start: Date;
  end: Date;
}

export interface MetricPoint {
  time: Date;
  value: number;
}

/**
 * Reads metric data and alarm state history for triage. Implementations throw OpsctlError('aws') with a hint
 * (no credentials, access denied naming the permission, throttled past retries).
 */
export interface MetricSource {
  /** The datapoints of one metric, oldest first (periods without data are absent). */
  series(query: MetricQuery): Promise<MetricPoint[]>;
  /** When the alarm last went into ALARM, or undefined when it never has (as far as CloudWatch remembers). */
  lastAlarmAt(alarmName: string): Promise<Date | undefined>;
}

// ---- incident memory (incident report / list / resolve; triage, diagnose and rollback record into it) ----

export type IncidentStatus = 'open' | 'resolved';

/** One incident as stored. Times are ISO-8601 strings (UTC) so both backends round-trip them exactly. */
export interface IncidentRecord {
  id: number;
  service: string;
  status: IncidentStatus;
  /** The first report's failure lines as a template (see core/incidents/fingerprint.ts). */
  template: string;
  /** Sorted distinct terms the similarity compares. */
  terms: string[];
  /** Short human title: the first failure line of the first report, masked. */
  title: string;
  createdAt: string;
  lastSeenAt: string;
  occurrences: number;
  /** The resolved incident this one is a regression of. */
  regressionOf?: number;
  resolvedAt?: string;
  resolvedBy?: string;
  resolution?: string;
  /** Runbook citations matched when the incident opened (JSON kept as is). */
  runbooks: Array<{ citation: string; relevance: number }>;
  /** A grounded LLM recommendation made when it opened (--llm), if any. */
  recommendation?: string;
}

/** One report folded into an incident. */
export interface IncidentOccurrence {
  at: string;
  /** log | log-file | stdin | alarm | triage | diagnose | ingest. */
  source: string;
  who: string;
  /** The reported text, masked (numbers, ids and secrets never stored verbatim) and capped. */
  text: string;
}

export interface IncidentNote {
  at: string;
  who: string;
  text: string;
}

/**
 * A stored incident that shares terms with a report: how many, with its best-matching signature (one of the
 * distinct term sets its reports have had) of `nterms` terms.
 */
export interface IncidentCandidate {
  incident: IncidentRecord;
  shared: number;
  nterms: number;
}

/** A report's term set and its key (see Fingerprint): what an incident remembers of each phrasing. */
export interface IncidentSignature {
  key: string;
  terms: string[];
}

export interface IncidentFilter {
  status?: IncidentStatus;
  service?: string;
  /** ISO time: incidents seen at or after it. */
  since?: string;
  limit?: number;
}

/** New incident fields; the store assigns id, counts and times. */
export type NewIncident = Pick<IncidentRecord, 'service' | 'template' | 'terms' | 'title' | 'runbooks' | 'regressionOf' | 'recommendation'>;

/** The writes a report makes, inside one transaction that holds the service's lock. */
export interface IncidentTx {
  /**
   * Incidents of `service` with a signature sharing at least `minShared` (≥ 1) of the terms, best Dice first (at
   * most `limit` signatures looked at); each incident once, with its best signature.
   */
  candidates(service: string, terms: string[], limit: number, minShared: number): Promise<IncidentCandidate[]>;
  create(incident: NewIncident, first: IncidentOccurrence, signature: IncidentSignature): Promise<IncidentRecord>;
  /** Counts the occurrence; a signature the incident has not seen yet is remembered (up to a cap). */
  addOccurrence(id: number, occurrence: IncidentOccurrence, signature: IncidentSignature): Promise<IncidentRecord>;
}

/**
 * Where incidents live: SQLite (one machine) or PostgreSQL (a team). Implementations throw OpsctlError('store')
 * (exit 15) with a hint when the database is locked, damaged, unreachable or refuses the credentials, and never
 * fall back to another store silently.
 */
export interface IncidentStore {
  /** "sqlite:/path" or "postgres://host:port/db" (no password), for messages. */
  readonly where: string;
  /**
   * Runs `fn` in one write transaction that holds a lock on `service`, so two processes reporting the same failure
   * at once serialise: the second sees the first's incident and adds an occurrence to it.
   */
  reportTx<T>(service: string, fn: (tx: IncidentTx) => Promise<T>): Promise<T>;
  get(id: number): Promise<IncidentRecord | undefined>;
  list(filter: IncidentFilter): Promise<IncidentRecord[]>;
  occurrences(id: number, limit?: number): Promise<IncidentOccurrence[]>;
  notes(id: number): Promise<IncidentNote[]>;
  addNote(id: number, note: IncidentNote): Promise<void>;
  /** Stores what a new incident was opened with: its runbook sections and, with --llm, a recommendation. */
  setAdvice(id: number, runbooks: IncidentRecord['runbooks'], recommendation?: string): Promise<void>;
  /**
   * Sets the status atomically when it is still `from` (false when it was not). Resolving stores the resolution;
   * reopening clears it.
   */
  setStatus(id: number, from: IncidentStatus, to: IncidentStatus, resolution?: { at: string; by: string; text: string }): Promise<boolean>;
  close(): Promise<void>;
}
