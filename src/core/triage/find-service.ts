import type { AlarmInfo, EcsGateway, EcsServiceInfo } from '../ports.js';
import type { Gathered } from './types.js';
import { LB_NAMESPACES, type Classification, type ServiceHints } from './classify.js';

/** How far a lookup scans before giving up: enough for most accounts, few enough calls to stay cheap at 3 a.m. */
export const SCAN_LIMITS = { clusters: 10, services: 200 };
export type ScanLimits = typeof SCAN_LIMITS;

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

/** The alarm's TargetGroup dimension, normalised to "targetgroup/NAME/ID" (how CloudWatch writes it). */
export function targetGroupOf(alarm: AlarmInfo): string | undefined {
  if (!LB_NAMESPACES.has(alarm.namespace ?? '')) return undefined;
  const v = alarm.dimensions.find((d) => d.name === 'TargetGroup')?.value?.trim();
  if (!v) return undefined;
  return v.startsWith('targetgroup/') ? v : `targetgroup/${v}`;
}

/**
 * True when a target group ARN ("arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/web/0123…") is the
 * one a TargetGroup dimension names. Matches on ":" + dimension so "targetgroup/web/1" never matches "…/xweb/1".
 */
export function usesTargetGroup(targetGroupArn: string | undefined, targetGroup: string): boolean {
  return Boolean(targetGroupArn) && (targetGroupArn as string).endsWith(`:${targetGroup}`);
}

/** The services (optionally only those named `service`) attached to the target group. Pure. */
export function matchTargetGroup(services: EcsServiceInfo[], targetGroup: string, service?: string): ServiceMatch[] {
  const out: ServiceMatch[] = [];
  for (const s of services) {
    if (service && s.name !== service) continue;
    const lb = (s.loadBalancers ?? []).find((l) => usesTargetGroup(l.targetGroupArn, targetGroup));
    if (lb?.targetGroupArn) out.push({ cluster: s.cluster, service: s.name, targetGroupArn: lb.targetGroupArn });
  }
  return out;
}

/**
 * Whether triage should look for the service behind a load balancer alarm, and why not when it should not.
 * Pure. Only when the classification names no service and the alarm has a TargetGroup dimension: with only
 * a LoadBalancer dimension the link to a service goes through ELBv2 (DescribeTargetGroups), which opsctl
 * does not call.
 */
export function lookupRequest(alarm: AlarmInfo, c: Classification, hints: ServiceHints): LookupRequest | { skip: string; tell?: boolean } {
  if (c.service) return { skip: 'the ECS service is already named' };
  if (!LB_NAMESPACES.has(alarm.namespace ?? '')) return { skip: 'not a load balancer alarm' };
  const targetGroup = targetGroupOf(alarm);
  if (!targetGroup) {
    return { skip: 'the alarm has no TargetGroup dimension; finding the service from the load balancer alone needs ELBv2 calls, which triage does not make', tell: true };
  }
  return { targetGroup, cluster: hints.cluster, service: hints.service };
}

/**
 * Finds the ECS services attached to a target group: in `req.cluster`, or else in every cluster, up to
 * `limits` clusters and services. Read-only. Listing clusters failing throws (the caller reports it); one
 * cluster failing is recorded and the scan goes on.
 */
export async function findServicesByTargetGroup(ecs: EcsGateway, req: LookupRequest, limits: ScanLimits = SCAN_LIMITS): Promise<ServiceLookup> {
  const all = req.cluster ? [req.cluster] : await ecs.listClusters();
  const clusters = all.slice(0, limits.clusters);
  const result: ServiceLookup = { targetGroup: req.targetGroup, matches: [], clustersScanned: 0, servicesScanned: 0, failures: [] };
  const capped: string[] = [];
  let firstError: unknown;
  if (all.length > clusters.length) capped.push(`only ${clusters.length} of ${all.length} clusters were searched`);
  for (const cluster of clusters) {
    const budget = limits.services - result.servicesScanned;
    if (budget <= 0) {
      capped.push(`the search stopped after ${limits.services} services`);
      break;
    }
    try {
      const list = await ecs.listServices(cluster, budget);
      result.clustersScanned += 1;
      result.servicesScanned += list.services.length;
      result.matches.push(...matchTargetGroup(list.services, req.targetGroup, req.service));
      if (list.truncated) {
        capped.push(`the search stopped after ${limits.services} services (in cluster ${cluster})`);
        break;
      }
    } catch (e) {
      firstError ??= e;
      result.failures.push({ cluster, message: e instanceof Error ? e.message : String(e) });
    }
  }
  if (capped.length) result.capped = capped.join('; ');
  // Every cluster failing is a failed lookup, not "no service uses it".
  if (clusters.length && result.failures.length === clusters.length) throw firstError;
  return result;
}

function scope(l: ServiceLookup): string {
  return `${l.clustersScanned} cluster${l.clustersScanned === 1 ? '' : 's'}, ${l.servicesScanned} service${l.servicesScanned === 1 ? '' : 's'} searched`;
}

/**
 * The classification after a target group lookup. Pure. One match becomes the service (from
 * 'target-group'); several become candidates and a hint to pick one with flags; none keeps the flags hint
 * and says where triage looked. A failed lookup changes nothing (the report shows why it failed).
 */
export function applyLookup(c: Classification, lookup: Gathered<ServiceLookup>): Classification {
  if (lookup.status !== 'ok') return c;
  const l = lookup.value;
  const notes = [...c.notes];
  for (const f of l.failures) notes.push(`could not search cluster ${f.cluster} for target group ${l.targetGroup}: ${f.message}`);
  if (l.capped) notes.push(`search capped: ${l.capped}; pass --cluster to search one cluster fully`);
  if (l.matches.length === 1) {
    const [m] = l.matches;
    notes.push(`found via target group ${l.targetGroup}: ${m.cluster}/${m.service} is the only ECS service attached to it (${scope(l)})`);
    return { ...c, service: { cluster: m.cluster, service: m.service, from: 'target-group' }, serviceHint: undefined, notes };
  }
  if (l.matches.length > 1) {
    const names = l.matches.map((m) => `${m.cluster}/${m.service}`).join(', ');
    return {
      ...c, notes,
      candidates: l.matches.map(({ cluster, service }) => ({ cluster, service })),
      serviceHint: `${l.matches.length} ECS services use target group ${l.targetGroup} (${names}): pass --cluster and --service to pick one`,
    };
  }
  return { ...c, notes, serviceHint: `no ECS service uses target group ${l.targetGroup} (${scope(l)}); ${c.serviceHint ?? 'pass --cluster CLUSTER --service SERVICE'}` };
}
