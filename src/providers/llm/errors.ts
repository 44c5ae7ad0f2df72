import { OpsctlError } from '../../core/errors.js';

/** err, err.cause, err.cause.cause, … (fetch wraps socket errors in TypeError('fetch failed')). */
function chain(err: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  let cur: unknown = err;
  while (cur !== null && typeof cur === 'object' && out.length < 6) {
    out.push(cur as Record<string, unknown>);
    cur = (cur as { cause?: unknown }).cause;
  }
  return out;
}

/** Codes and names anywhere in the cause chain (ECONNREFUSED, UND_ERR_SOCKET, ThrottlingException, …). */
export function errorTags(err: unknown): Set<string> {
  const tags = new Set<string>();
  for (const e of chain(err)) {
    for (const key of ['code', 'name', 'errno']) if (typeof e[key] === 'string') tags.add(e[key] as string);
  }
  return tags;
}

/** HTTP status from an ollama ResponseError (`status_code`) or an AWS SDK error (`$metadata.httpStatusCode`). */
export function httpStatus(err: unknown): number | undefined {
  for (const e of chain(err)) {
    if (typeof e.status_code === 'number') return e.status_code;
    const meta = e.$metadata as { httpStatusCode?: number } | undefined;
    if (typeof meta?.httpStatusCode === 'number' && meta.httpStatusCode >= 400) return meta.httpStatusCode;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const REFUSED = ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN'];
const DROPPED = ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED'];
const TRANSIENT_NAMES = [
  'ThrottlingException', 'ServiceUnavailableException', 'InternalServerException', 'ModelNotReadyException',
  'ModelStreamErrorException', 'TooManyRequestsException',
];

/** Nothing listens there (or the name does not resolve): retrying will not help. */
export function isUnreachable(err: unknown): boolean {
  const tags = errorTags(err);
  return REFUSED.some((c) => tags.has(c));
}

/** The connection broke after it was made (reset, closed mid-body, stream ended early). */
export function isDropped(err: unknown): boolean {
  const tags = errorTags(err);
  if (DROPPED.some((c) => tags.has(c))) return true;
  return /\bterminated\b|other side closed|socket hang up|premature close|did not receive done|aborted by the server/i.test(
    chain(err).map((e) => String(e.message ?? '')).join(' '),
  );
}

/**
 * Worth one more try: a dropped connection, HTTP 5xx or 429, or an AWS throttling/unavailable error.
 * Not a 4xx (bad request, unknown model, access denied) and not an unreachable host.
 */
export function isTransient(err: unknown): boolean {
  const status = httpStatus(err);
  if (status !== undefined) return status >= 500 || status === 429;
  const tags = errorTags(err);
  if (TRANSIENT_NAMES.some((n) => tags.has(n))) return true;
  return isDropped(err);
}

/** "no answer from ollama:llama3.1 within 5 s". */
export function timeoutError(id: string, timeoutMs: number, hint: string): OpsctlError {
  const secs = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 100) / 10} s` : `${timeoutMs} ms`;
  return new OpsctlError('llm', `no answer from ${id} within ${secs}`, hint);
}

/** Maps a failed Ollama call to a one-line OpsctlError with a hint. */
export function ollamaError(err: unknown, ctx: { host: string; model: string }): OpsctlError {
  if (err instanceof OpsctlError) return err;
  const msg = messageOf(err);
  const status = httpStatus(err);
  if (isUnreachable(err)) {
    return new OpsctlError('llm', `Ollama not running at ${ctx.host}`, 'start it with `ollama serve`, or set OLLAMA_HOST (or ollamaHost in opsctl.config.json) to where it runs', { cause: err });
  }
  if (status === 404 || /not found, try pulling it/i.test(msg)) {
    return new OpsctlError('llm', `model ${ctx.model} not pulled in Ollama at ${ctx.host}`, `run \`ollama pull ${ctx.model}\`, or choose a pulled model with --model (see \`ollama list\`)`, { cause: err });
  }
  if (isDropped(err)) {
    return new OpsctlError('llm', `connection to Ollama at ${ctx.host} dropped before the answer was complete`, 'check the Ollama server log (it may have run out of memory) and try again', { cause: err });
  }
  const what = status ? `HTTP ${status}: ${msg}` : msg;
  return new OpsctlError('llm', `Ollama at ${ctx.host} failed: ${oneLine(what)}`, 'check the Ollama server log; `ollama ps` shows loaded models', { cause: err });
}

/** Maps a failed Bedrock call to a one-line OpsctlError with a hint. */
export function bedrockError(err: unknown, ctx: { model: string; region: string }): OpsctlError {
  if (err instanceof OpsctlError) return err;
  const tags = errorTags(err);
  const msg = messageOf(err);
  if (tags.has('CredentialsProviderError') || /could not load credentials|credential is missing/i.test(msg)) {
    return new OpsctlError('llm', 'no AWS credentials for Bedrock', 'configure credentials: `aws configure` or `aws sso login`, AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY', { cause: err });
  }
  if (/region is missing/i.test(msg)) {
    return new OpsctlError('llm', 'no AWS region for Bedrock', 'set --region (or region in opsctl.config.json), or AWS_REGION', { cause: err });
  }
  if (tags.has('AccessDeniedException')) {
    return new OpsctlError('llm', `access to model ${ctx.model} denied in ${ctx.region}`, `enable model access for ${ctx.model} in the Bedrock console (Model access) for ${ctx.region}, and allow bedrock:InvokeModel* in your IAM policy`, { cause: err });
  }
  if (tags.has('ResourceNotFoundException') || (tags.has('ValidationException') && /model identifier|model id|model not found|inference profile/i.test(msg))) {
    return new OpsctlError('llm', `unknown Bedrock model ${ctx.model} in ${ctx.region}: ${oneLine(msg)}`, `list models with \`aws bedrock list-foundation-models --region ${ctx.region}\`; some models need an inference profile id such as us.${ctx.model}`, { cause: err });
  }
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'ExpiredToken'].some((n) => tags.has(n))) {
    return new OpsctlError('llm', `AWS credentials rejected by Bedrock: ${oneLine(msg)}`, 'refresh them (`aws sso login`) or check AWS_PROFILE', { cause: err });
  }
  if (tags.has('ThrottlingException') || tags.has('ServiceQuotaExceededException')) {
    return new OpsctlError('llm', `Bedrock throttled requests to ${ctx.model} in ${ctx.region}`, 'wait a minute and retry, or request a higher quota', { cause: err });
  }
  if (isUnreachable(err)) {
    return new OpsctlError('llm', `cannot reach Bedrock in ${ctx.region}: ${oneLine(msg)}`, 'check network access, or AWS_ENDPOINT_URL if it is set', { cause: err });
  }
  if (isDropped(err)) {
    return new OpsctlError('llm', `connection to Bedrock dropped before the answer was complete`, 'try again', { cause: err });
  }
  const name = [...tags].find((t) => /Exception$|Error$/.test(t) && !/^(Type)?Error$/.test(t));
  return new OpsctlError('llm', `Bedrock request failed: ${name && !msg.startsWith(name) ? `${name}: ` : ''}${oneLine(msg)}`, 'try again; run with --debug for details', { cause: err });
}

function oneLine(s: string): string {
  const line = s.split('\n')[0].trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
