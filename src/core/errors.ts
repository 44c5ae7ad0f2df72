/**
 * Every failure a user can cause is an OpsctlError: a one-line message, a hint, and its own exit code.
 * The table below is the single source of exit codes; README.md documents it.
 */
export const EXIT = {
  OK: 0,
  /** Unexpected failure (a bug): shown with a stack trace under --debug. */
  INTERNAL: 1,
  /** Bad flags or arguments. */
  USAGE: 2,
  /** Ran fine but found nothing relevant (ask: no runbook covers this; diagnose: no evidence). */
  NO_MATCH: 3,
  /** Input problem: a missing or unreadable file or directory, invalid content. */
  INPUT: 4,
  /** Index problem: missing, corrupt, incompatible, or locked by another writer. */
  INDEX: 5,
  /** LLM backend unavailable or failing, and no fallback was possible. */
  LLM: 6,
  /** Answered, but without the LLM that was asked for (it was down or timed out). */
  ANSWERED_WITHOUT_LLM: 7,
  /** AWS problem: no credentials, access denied, resource not found, throttled past retries. */
  AWS: 8,
  /** A human (or the absence of one) said no, or a safety check aborted the action. */
  ABORTED: 9,
  /** The action ran and failed (for example a deployment that failed). */
  FAILED: 10,
  /** Waited past --timeout. */
  TIMEOUT: 11,
  /** A quality gate (eval thresholds, lint) was not met. */
  GATE: 12,
  /** Answered, but the answer (or diagnosis) holds instructions its cited sources do not contain. */
  UNGROUNDED: 13,
  /** The rollback completed but the alarm did not come back to OK in time; the incident stays open. */
  NOT_RECOVERED: 14,
  /** Incident store unavailable: database locked, damaged, unreachable, or refused our credentials. */
  STORE: 15,
  /** Interrupted by Ctrl-C. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorCode =
  | 'usage'
  | 'no-match'
  | 'input'
  | 'index'
  | 'index-locked'
  | 'index-incompatible'
  | 'llm'
  | 'aws'
  | 'aborted'
  | 'failed'
  | 'timeout'
  | 'gate'
  | 'ungrounded'
  | 'not-recovered'
  | 'store'
  | 'interrupted';

const EXIT_BY_CODE: Record<ErrorCode, ExitCode> = {
  usage: EXIT.USAGE,
  'no-match': EXIT.NO_MATCH,
  input: EXIT.INPUT,
  index: EXIT.INDEX,
  'index-locked': EXIT.INDEX,
  'index-incompatible': EXIT.INDEX,
  llm: EXIT.LLM,
  aws: EXIT.AWS,
  aborted: EXIT.ABORTED,
  failed: EXIT.FAILED,
  timeout: EXIT.TIMEOUT,
  gate: EXIT.GATE,
  ungrounded: EXIT.UNGROUNDED,
  'not-recovered': EXIT.NOT_RECOVERED,
  store: EXIT.STORE,
  interrupted: EXIT.INTERRUPTED,
};

export class OpsctlError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: ExitCode;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown; exitCode?: ExitCode }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OpsctlError';
    this.code = code;
    this.exitCode = options?.exitCode ?? EXIT_BY_CODE[code];
    this.hint = hint;
  }
}

export function isOpsctlError(e: unknown): e is OpsctlError {
  return e instanceof OpsctlError;
}
