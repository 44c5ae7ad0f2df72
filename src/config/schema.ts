/** Every config key, its type and default. Precedence: defaults < ~/.config/opsctl/config.json < ./opsctl.config.json < OPSCTL_* env < flags. */
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
