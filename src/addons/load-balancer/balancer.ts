/**
 * Target selection and ALB routing, pure and small so the proxies stay lean:
 *
 * - TargetPool: round-robin over a target group's `healthy` targets (draining, initial and
 *   unhealthy ones receive no new connections, as ELB does); a target whose address cannot be
 *   resolved is skipped for the next one.
 * - Weighted choice among the target groups of one forward action (smooth weighted round-robin).
 * - ALB rule matching: host-header (case-insensitive, `*` and `?` wildcards) and path-pattern
 *   (case-sensitive, `*` and `?`), rules in priority order, the default rule last
 *   (docs "Listener rules for your Application Load Balancer": condition types).
 */
import type { ActionDoc, ConditionDoc, RuleDoc, TargetDoc } from '../../aws/services/elbv2/model.js';

/**
 * A target's real address; `accept` (same-process targets) takes an accepted connection
 * directly, with the source address the pod should see; `source` is that address when the path
 * to the target rewrites it (kube-proxy's SNAT to the node IP, the NLB's own IP).
 */
export interface Address {
  host: string;
  port: number;
  accept?: (socket: import('node:net').Socket, sourceIp?: string) => void;
  source?: string;
  /** Send a PROXY protocol v2 header first (target group `proxy_protocol_v2.enabled`), naming this destination. */
  proxy?: { destinationIp: string; destinationPort: number };
}

export class TargetPool {
  private healthy: TargetDoc[] = [];
  private next = 0;

  set(targets: TargetDoc[]): void {
    this.healthy = targets.filter((t) => t.state === 'healthy');
    if (this.next >= this.healthy.length) this.next = 0;
  }

  get size(): number {
    return this.healthy.length;
  }

  /** The next healthy target whose address resolves, round-robin. */
  pick(resolve: (t: TargetDoc) => Address | undefined): Address | undefined {
    const n = this.healthy.length;
    for (let i = 0; i < n; i++) {
      const t = this.healthy[this.next];
      this.next = (this.next + 1) % n;
      const a = resolve(t);
      if (a) return a;
    }
    return undefined;
  }
}

/** Smooth weighted round-robin (nginx's) over the target groups of a forward action. */
export class WeightedChoice {
  private readonly current = new Map<string, number>();

  choose(groups: Array<{ arn: string; weight: number }>): string | undefined {
    if (groups.length <= 1) return groups[0]?.arn;
    let total = 0;
    let best: string | undefined;
    let bestVal = -Infinity;
    for (const g of groups) {
      const w = Math.max(0, g.weight);
      total += w;
      const v = (this.current.get(g.arn) ?? 0) + w;
      this.current.set(g.arn, v);
      if (v > bestVal) { bestVal = v; best = g.arn; }
    }
    if (best === undefined || total === 0) return groups[0].arn;
    this.current.set(best, bestVal - total);
    return best;
  }
}

const globCache = new Map<string, RegExp>();

function glob(pattern: string, flags: string): RegExp {
  const k = `${flags}|${pattern}`;
  let re = globCache.get(k);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, flags);
    if (globCache.size > 1000) globCache.clear();
    globCache.set(k, re);
  }
  return re;
}

function conditionMatches(c: ConditionDoc, host: string, path: string): boolean {
  if (c.field === 'host-header') return c.values.some((v) => glob(v, 'i').test(host));
  return c.values.some((v) => glob(v, '').test(path));
}

/** The actions of the first rule (by priority; default last) whose conditions all match. */
export function route(rules: RuleDoc[], hostHeader: string | undefined, path: string): ActionDoc[] {
  const host = (hostHeader ?? '').replace(/:\d+$/, '');
  for (const r of rules) if (r.conditions.every((c) => conditionMatches(c, host, path))) return r.actions;
  return [];
}
