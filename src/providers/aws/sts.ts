import type { CallerIdentity, IdentitySource } from '../../core/ports.js';
import { AWS_MAX_ATTEMPTS, type AwsClientOptions } from './ecs.js';
import { toAwsError } from './errors.js';

/** STS GetCallerIdentity: who the configured AWS credentials belong to. Needs no IAM permission. */
export class AwsIdentitySource implements IdentitySource {
  constructor(private readonly opts: AwsClientOptions = {}) {}

  async whoami(): Promise<CallerIdentity> {
    const sdk = await import('@aws-sdk/client-sts');
    const client = new sdk.STSClient({ region: this.opts.region, profile: this.opts.profile, maxAttempts: this.opts.maxAttempts ?? AWS_MAX_ATTEMPTS });
    try {
      const out = await client.send(new sdk.GetCallerIdentityCommand({}));
      return { account: out.Account, arn: out.Arn, userId: out.UserId };
    } catch (e) {
      throw toAwsError(e, { action: 'identify the AWS caller', permission: 'sts:GetCallerIdentity', region: this.opts.region });
    } finally {
      client.destroy();
    }
  }
}
