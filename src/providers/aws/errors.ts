import { OpsctlError } from '../../core/errors.js';

/** What an AWS call was for, so a failure can say what to fix. */
export interface AwsErrorContext {
  /** What opsctl was doing, as a phrase: "describe CloudWatch alarm ALB-5xx-High". */
  action: string;
  /** The IAM permission the call needs: "cloudwatch:DescribeAlarms". */
  permission: string;
  /** Region the call went to, when known. */
  region?: string;
}

const NO_CREDENTIALS_HINT = 'set AWS_PROFILE to a configured profile, or run `aws configure` (keys) or `aws sso login` (SSO)';

const CREDENTIALS_REJECTED = new Set([
  'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch',
  'ExpiredToken', 'ExpiredTokenException', 'AuthFailure', 'InvalidAccessKeyId', 'IncompleteSignature',
]);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException', 'NotAuthorized']);
const THROTTLED = new Set([
  'Throttling', 'ThrottlingException', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  cause?: { code?: string };
}

/**
 * Turns an AWS SDK v3 failure into an OpsctlError('aws') a person can act on: missing or rejected
 * credentials, a missing IAM permission, throttling past the SDK's retries, an unreachable endpoint, a
 * missing region, or any other service error. Anything that is not an AWS/network failure (a bug) is
 * returned unchanged so it still surfaces as an internal error. Use as `throw toAwsError(e, ctx)`.
 */
export function toAwsError(e: unknown, ctx: AwsErrorContext): Error {
  if (e instanceof OpsctlError) return e;
  if (!(e instanceof Error)) return new Error(String(e));
  const err = e as Error & SdkErrorShape;
  const name = err.name ?? '';
  const msg = firstLine(err.message ?? '');
  const where = ctx.region ? ` in ${ctx.region}` : '';
  const make = (message: string, hint: string) => new OpsctlError('aws', message, hint, { cause: e });

  if (name === 'CredentialsProviderError' || name === 'TokenProviderError' || /could not load credentials|credential.*(not found|missing)/i.test(msg)) {
    // The SDK's text is worth showing only when it names the profile or SSO session at fault.
    const detail = /sso|profile/i.test(msg) ? ` (${msg})` : '';
    // The SDK does not say which profile it tried; the person usually needs exactly that.
    const profile = process.env.AWS_PROFILE;
    const hint = profile
      ? `AWS_PROFILE=${profile} gave no credentials: fix or change AWS_PROFILE, or run \`aws configure --profile ${profile}\` or \`aws sso login --profile ${profile}\``
      : NO_CREDENTIALS_HINT;
    return make(`no usable AWS credentials to ${ctx.action}${detail}`, hint);
  }
  if (CREDENTIALS_REJECTED.has(name) || /security token included in the request is (invalid|expired)/i.test(msg)) {
    return make(`AWS rejected the credentials (${name}): ${msg}`, `refresh them (\`aws sso login\`, new keys) or check AWS_PROFILE; then retry`);
  }
  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(msg)) {
    return make(`access denied: ${ctx.action} needs ${ctx.permission}`, `grant ${ctx.permission} to the identity in use (\`aws sts get-caller-identity\` shows which)`);
  }
  if (THROTTLED.has(name) || err.$metadata?.httpStatusCode === 429) {
    return make(`AWS throttled the request to ${ctx.action}${where}, even after retries`, 'wait a minute and retry; something else may be calling the same API in a tight loop');
  }
  if (/region is missing/i.test(msg)) {
    return make(`no AWS region configured to ${ctx.action}`, 'set AWS_REGION, add region to your AWS profile, or pass --region');
  }
  const code = err.code ?? err.cause?.code ?? '';
  if (NETWORK_CODES.has(code) || name === 'TimeoutError' || /socket hang up|getaddrinfo|connect ETIMEDOUT/i.test(msg)) {
    return make(`cannot reach AWS${where} to ${ctx.action} (${code || name || msg})`, 'check the network, VPN or proxy, the region, and AWS_ENDPOINT_URL if it is set');
  }
  if (err.$metadata !== undefined || err.$fault !== undefined) {
    return make(`${ctx.action} failed${where}: ${name ? `${name}: ` : ''}${msg}`, 'check the name and the region; run with --debug for details');
  }
  return e;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
