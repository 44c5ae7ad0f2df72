/**
 * Every config key, its type and default. Precedence: defaults < ~/.config/opsctl/config.json < ./opsctl.config.json
 * < OPSCTL_* env < flags. `redact` and `auditFile` are not read from ./opsctl.config.json (see USER_ONLY).
 */
export interface Config {
  /** Where runbooks live (`opsctl index` default). */
  runbooksDir: string;
  /** Where the index is stored. */
  indexDir: string;
  /** Dense embedder: "lsa" (offline default, no download), "transformers" (all-MiniLM-L6-v2) or "ollama". */
  embedder: 'lsa' | 'transformers' | 'ollama';
  /** Model for the transformers or ollama embedder. */
  embedModel?: string;
  /** Local copy of transformers.js models for air-gapped machines (OPSCTL_MODEL_DIR). */
  modelDir?: string;
  /** LLM backend for answers: none (default), ollama or bedrock. */
  llm: 'none' | 'ollama' | 'bedrock';
  /** LLM model name (backend specific). */
  model?: string;
  /** Ollama URL; OLLAMA_HOST is honoured. */
  ollamaHost: string;
  /** AWS region for Bedrock and AWS calls (falls back to the SDK's own resolution). */
  region?: string;
  /** Number of sections `ask` returns. */
  topK: number;
  /** Relevance floor in [0, 1] below which `ask` says no runbook covers the question. */
  minScore: number;
  /** LLM request timeout in milliseconds. */
  llmTimeoutMs: number;
  /** Mask secrets, emails and IPs before text leaves the machine for a cloud LLM. */
  redact: boolean;
  /** The rollback audit log (JSON Lines). OPSCTL_AUDIT_FILE wins; unset: $XDG_STATE_HOME/opsctl/audit.jsonl or ~/.local/state/opsctl/audit.jsonl. */
  auditFile?: string;
  /** Incident memory on PostgreSQL (a team's), e.g. postgres://user:pass@host/db (OPSCTL_INCIDENTS_URL); unset: SQLite. */
  incidentsUrl?: string;
  /** The SQLite incident database (OPSCTL_INCIDENTS_DB); unset: $XDG_STATE_HOME/opsctl/incidents.db or ~/.local/state/opsctl/incidents.db. */
  incidentsDb?: string;
  /** triage and diagnose report into incident memory without --record (`"incidents": {"record": true}` in a config file). */
  incidentsRecord: boolean;
}

export const DEFAULTS: Config = {
  runbooksDir: './runbooks',
  indexDir: './.opsctl',
  embedder: 'lsa',
  llm: 'none',
  ollamaHost: 'http://127.0.0.1:11434',
  topK: 5,
  minScore: 0.25,
  llmTimeoutMs: 60_000,
  redact: true,
  incidentsRecord: false,
};

type Kind = 'string' | 'number' | 'boolean' | readonly string[];
export const SCHEMA: Record<keyof Config, Kind> = {
  runbooksDir: 'string',
  indexDir: 'string',
  embedder: ['lsa', 'transformers', 'ollama'],
  embedModel: 'string',
  modelDir: 'string',
  llm: ['none', 'ollama', 'bedrock'],
  model: 'string',
  ollamaHost: 'string',
  region: 'string',
  topK: 'number',
  minScore: 'number',
  llmTimeoutMs: 'number',
  redact: 'boolean',
  auditFile: 'string',
  incidentsUrl: 'string',
  incidentsDb: 'string',
  incidentsRecord: 'boolean',
};

/** Numeric keys: the range a value must fall in, checked wherever it comes from. */
export interface Bounds {
  min: number;
  max: number;
  integer?: boolean;
  /** The command-line flag that sets it, for messages about a flag. */
  flag?: string;
}

export const BOUNDS: Partial<Record<keyof Config, Bounds>> = {
  topK: { min: 1, max: 100, integer: true, flag: '--top' },
  minScore: { min: 0, max: 1, flag: '--min-score' },
  // Below 0.1 s no model answers; above an hour a hung backend holds the on-call engineer's terminal (and
  // setTimeout turns anything past 2^31 ms into 1 ms).
  llmTimeoutMs: { min: 100, max: 3_600_000, integer: true },
};

/** String keys that must not be empty (an empty indexDir would make the working directory the index). */
export const NON_EMPTY: ReadonlyArray<keyof Config> = ['runbooksDir', 'indexDir', 'ollamaHost'];

/**
 * Keys a project's ./opsctl.config.json may not set: anyone who can commit to a repository could otherwise turn
 * redaction off or send the audit log elsewhere for everyone who runs opsctl there. Only the user's own config,
 * the environment and flags set them.
 */
export const USER_ONLY: ReadonlyArray<keyof Config> = ['redact', 'auditFile'];
