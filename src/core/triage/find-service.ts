import type { AlarmInfo, EcsGateway, EcsServiceInfo } from '../ports.js';
import type { Gathered } from './types.js';
import { LB_NAMESPACES, type Classification, type ServiceHints } from './classify.js';

/** How far a lookup scans before giving up: enough for most accounts, few enough calls to stay cheap at 3 a.m. */
export const SCAN_LIMITS: ScanLimits = { clusters: 10, services: 200 };
export interface ScanLimits {
  clusters: number;
  /** Services described in all clusters together. */
  services: number;
}

/** An ECS service whose load balancer target group is the alarm's. */
export interface ServiceMatch {
  cluster: string;
  service: string;
  targetGroupArn: string;
}

/** What the target group lookup found and how much it looked at. */
export interface ServiceLookup {
  /** The alarm's TargetGroup dimension: "targetgroup/web/0123456789abcdef". */
  targetGroup: string;
  matches: ServiceMatch[];
  clustersScanned: number;
  servicesScanned: number;
  /** Set when the scan stopped at a limit, so a service may have been missed: what was left out. */
  capped?: string;
  /** Clusters whose services could not be listed; the others were still scanned. */
  failures: Array<{ cluster: string; message: string }>;
}

/** What to look up: the target group, and the cluster/service the flags pinned down, if any. */
export interface LookupRequest {
  targetGroup: string;
  cluster?: string;
  service?: string;
}

/**
 * The load balancer alarm's TargetGroup dimension as CloudWatch writes it, "targetgroup/NAME/ID"; a bare
 * "NAME/ID" or a whole target group ARN is cut down to that. Undefined for other namespaces. Pure.
 */
export function targetGroupOf(alarm: AlarmInfo): string | undefined {
  if (!LB_NAMESPACES.has(alarm.namespace ?? '')) return undefined;
  const v = alarm.dimensions.find((d) => d.name === 'TargetGroup')?.value?.trim();
  if (!v) return undefined;
  const at = v.indexOf('targetgroup/');
  return at >= 0 ? v.slice(at) : `targetgroup/${v}`;
}

/**
 * True when a target group ARN ("arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/web/0123…") is the
 * one a TargetGroup dimension names. The whole resource path must match, so "targetgroup/web/1" is not
 * "…:targetgroup/xweb/1" nor "…:targetgroup/web/11". Pure.
 */
export function usesTargetGroup(targetGroupArn: string | undefined, targetGroup: string): boolean {
  return Boolean(targetGroupArn?.endsWith(`:${targetGroup}`));
}

/** The services (optionally only the one named `service`) attached to the target group. Pure. */
export function matchTargetGroup(services: EcsServiceInfo[], targetGroup: string, service?: string): ServiceMatch[] {
  const out: ServiceMatch[] = [];
  for (const s of services) {
    if (service && s.name !== service) continue;
    const arn = s.loadBalancers?.find((l) => usesTargetGroup(l.targetGroupArn, targetGroup))?.targetGroupArn;
    if (arn) out.push({ cluster: s.cluster, service: s.name, targetGroupArn: arn });
  }
  return out;
}

/**
 * Whether triage should look for the service behind a load balancer alarm, or why not. Pure. Only when
 * nothing names the service and the alarm has a TargetGroup dimension: with only a LoadBalancer dimension
 * the way to a service goes through ELBv2 (DescribeTargetGroups), which opsctl does not call. A --cluster
 * or --service given alone narrows the search.
 */
export function lookupRequest(alarm: AlarmInfo, c: Classification, hints: ServiceHints): LookupRequest | { skip: string } {
  if (c.service) return { skip: 'the ECS service is already named' };
  if (!LB_NAMESPACES.has(alarm.namespace ?? '')) return { skip: 'not a load balancer alarm' };
  const targetGroup = targetGroupOf(alarm);
  if (!targetGroup) return { skip: 'the alarm has no TargetGroup dimension (finding the service from the load balancer alone is not supported)' };
  return { targetGroup, cluster: hints.cluster, service: hints.service };
}

/**
 * Finds the ECS services attached to a target group: in `req.cluster`, or else in the region's clusters, up
 * to `limits`. Read-only. Listing clusters failing, or every cluster failing, throws (a failed lookup is not
 * "no service uses it"); one cluster failing is recorded and the scan goes on.
 */
export async function findServicesByTargetGroup(ecs: EcsGateway, req: LookupRequest, limits: ScanLimits = SCAN_LIMITS): Promise<ServiceLookup> {
  const all = req.cluster ? [req.cluster] : await ecs.listClusters();
  const clusters = all.slice(0, limits.clusters);
  const result: ServiceLookup = { targetGroup: req.targetGroup, matches: [], clustersScanned: 0, servicesScanned: 0, failures: [] };
  const capped: string[] = [];
  if (all.length > clusters.length) capped.push(`only ${clusters.length} of ${all.length} clusters were searched`);
  let firstError: unknown;
  for (const cluster of clusters) {
    const budget = limits.services - result.servicesScanned;
    if (budget <= 0) {
      capped.push(`the search stopped after ${limits.services} services, before cluster ${cluster}`);
      break;
    }
    try {
      const list = await ecs.listServices(cluster, budget);
      result.clustersScanned += 1;
      result.servicesScanned += list.services.length;
      result.matches.push(...matchTargetGroup(list.services, req.targetGroup, req.service));
      if (list.truncated) {
        capped.push(`the search stopped after ${limits.services} services, in cluster ${cluster}`);
        break;
      }
    } catch (e) {
      firstError ??= e;
      result.failures.push({ cluster, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (capped.length) result.capped = capped.join('; ');
  if (clusters.length && result.failures.length === clusters.length) throw firstError;
  return result;
}

/** "2 clusters, 14 services searched" */
export function lookupScope(l: ServiceLookup): string {
  const n = (k: number, what: string) => `${k} ${what}${k === 1 ? '' : 's'}`;
  return `${n(l.clustersScanned, 'cluster')}, ${n(l.servicesScanned, 'service')} searched`;
}

/**
 * The classification after a target group lookup. Pure. One match becomes the service (from
 * 'target-group'); several, or none, leave it unnamed with a hint saying so. A lookup that failed or was
 * skipped changes nothing (the report shows why).
 */
export function applyLookup(c: Classification, lookup: Gathered<ServiceLookup>): Classification {
  if (lookup.status !== 'ok') return c;
  const l = lookup.value;
  if (l.matches.length === 1) {
    const [m] = l.matches;
    return { ...c, service: { cluster: m.cluster, service: m.service, from: 'target-group' }, serviceHint: undefined };
  }
  if (l.matches.length > 1) {
    return { ...c, serviceHint: `${l.matches.length} ECS services use target group ${l.targetGroup}: pass --cluster and --service to pick one` };
  }
  const where = `${lookupScope(l)}${l.capped ? ', search capped' : ''}`;
  return { ...c, serviceHint: `no ECS service uses target group ${l.targetGroup} (${where}); ${c.serviceHint ?? 'pass --cluster CLUSTER --service SERVICE'}` };
}
