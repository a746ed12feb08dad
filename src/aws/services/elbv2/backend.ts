/**
 * The ELBv2 backend: load balancers, target groups (with their targets), listeners and rules in
 * four durable state tables (aws/core/state.ts), read from memory, written through.
 *
 * Target health runs on the injected clock (health.ts): every target group with a pending
 * transition has one timer at its earliest `until`; when it fires the due transitions are
 * applied, persisted and announced through onChange. After a restart the timers are re-armed
 * from the stored `until`s (transitions that fell due while stopped apply at once).
 */
import type { Clock, Timer } from '../../../util/clock.js';
import type { AwsState, StateTable } from '../../core/state.js';
import * as ids from './ids.js';
import { duplicateListener, lbNotFound, listenerNotFound, resourceInUse, tgNotFound, validation } from './errors.js';
import { advance, deregistered, nextDue, probed, registered } from './health.js';
import type {
  ActionDoc, CreateListenerInput, CreateLoadBalancerInput, CreateTargetGroupInput, Elbv2Backend, Elbv2Change, HealthCheckDoc,
  ListenerDoc, LoadBalancerDoc, RuleDoc, RuleInput, Tag, TargetDoc, TargetGroupDoc, TargetRef,
} from './model.js';

export interface Elbv2BackendOptions {
  state: AwsState;
  clock: Clock;
  /** Multiplies health-check and deregistration delays (0 = next tick, 1 = AWS timing). */
  scale: number;
  ids?: ids.IdSource;
}

const key = (arn: string): string => encodeURIComponent(arn);
const tagList = (t: Record<string, string> = {}): Tag[] => Object.entries(t).map(([k, v]) => ({ key: k, value: v }));
const targetKey = (t: { id: string; port: number }): string => `${t.id}:${t.port}`;

/** Defaults of CreateTargetGroup (AWS docs: NLB TCP checks 30 s / 5 / 2 before 2023; ALB HTTP 30 s / 5 / 2). */
function defaultHealthCheck(protocol: string, targetType: string): HealthCheckDoc {
  const http = protocol === 'HTTP' || protocol === 'HTTPS';
  return {
    protocol: http ? (protocol as 'HTTP') : 'TCP', port: 'traffic-port', ...(http ? { path: '/', matcher: '200' } : {}),
    intervalSeconds: 30, timeoutSeconds: http ? 5 : 10, healthyThresholdCount: 5, unhealthyThresholdCount: http ? 2 : 2,
    enabled: targetType !== 'lambda',
  };
}

/** The security policy ELB gives an HTTPS/TLS listener created without one. */
export const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';

export class Elbv2Store implements Elbv2Backend {
  private readonly listenersByLb = new Map<string, Set<string>>();
  private readonly timers = new Map<string, { at: number; timer: Timer }>();
  private readonly subscribers = new Set<(c: Elbv2Change) => void>();
  private readonly ids: ids.IdSource;

  private constructor(
    private readonly o: Elbv2BackendOptions,
    private readonly lbs: StateTable<LoadBalancerDoc>,
    private readonly tgs: StateTable<TargetGroupDoc>,
    private readonly lis: StateTable<ListenerDoc>,
    private readonly rls: StateTable<RuleDoc>,
  ) {
    this.ids = o.ids ?? ids.randomIds;
    for (const l of lis.values()) this.indexListener(l);
  }

  static async open(o: Elbv2BackendOptions): Promise<Elbv2Store> {
    const [a, b, c, d] = await Promise.all([
      o.state.table<LoadBalancerDoc>('elbv2-load-balancers'), o.state.table<TargetGroupDoc>('elbv2-target-groups'),
      o.state.table<ListenerDoc>('elbv2-listeners'), o.state.table<RuleDoc>('elbv2-rules'),
    ]);
    const s = new Elbv2Store(o, a, b, c, d);
    for (const tg of s.tgs.values()) s.arm(tg);
    return s;
  }

  /** The backend clock's time (health views are computed for it). */
  now(): number {
    return this.o.clock.now();
  }

  /** Cancels health timers (the process is stopping). */
  close(): void {
    for (const t of this.timers.values()) t.timer.cancel();
    this.timers.clear();
  }

  onChange(fn: (c: Elbv2Change) => void): () => void {
    this.subscribers.add(fn);
    return () => this.subscribers.delete(fn);
  }

  private emit(c: Elbv2Change): void {
    for (const fn of this.subscribers) {
      try { fn(c); } catch { /* a subscriber's failure is its own */ }
    }
  }

  // ---- load balancers ----------------------------------------------------------------------

  async createLoadBalancer(i: CreateLoadBalancerInput): Promise<LoadBalancerDoc> {
    if (!ids.validName(i.name)) throw validation(`LoadBalancer name '${i.name}' is invalid: names must be 1-32 alphanumerics or hyphens, not beginning or ending with a hyphen`);
    const existing = this.loadBalancerByName(i.region, i.accountId, i.name);
    if (existing) return existing;
    const id = this.ids.hex(16);
    const arn = ids.loadBalancerArn(i.region, i.accountId, i.type, i.name, id);
    const doc: LoadBalancerDoc = {
      arn, name: i.name, type: i.type, scheme: i.scheme, region: i.region, accountId: i.accountId, vpcId: i.vpcId,
      dnsName: ids.dnsName(i.type, i.scheme, i.name, i.region, this.ids), canonicalHostedZoneId: ids.hostedZoneId(i.type, i.region),
      createdTime: new Date(this.o.clock.now()).toISOString(), state: 'active',
      zones: i.subnets.map((s) => ({ zoneName: s.zoneName, subnetId: s.subnetId })),
      securityGroups: i.securityGroups ?? [], ipAddressType: 'ipv4', attributes: { ...(i.attributes ?? {}) }, tags: tagList(i.tags),
    };
    await this.lbs.put(key(arn), doc);
    this.emit({ kind: 'load-balancer', arn });
    return doc;
  }

  async deleteLoadBalancer(arn: string): Promise<void> {
    if (!this.lbs.has(key(arn))) return;
    for (const l of this.listeners(arn)) await this.deleteListener(l.arn);
    await this.lbs.delete(key(arn));
    this.emit({ kind: 'load-balancer', arn });
  }

  async setLoadBalancerAttributes(arn: string, attributes: Record<string, string>): Promise<void> {
    const lb = this.loadBalancer(arn);
    if (!lb) throw lbNotFound();
    await this.lbs.put(key(arn), { ...lb, attributes: { ...lb.attributes, ...attributes } });
  }

  loadBalancer(arn: string): LoadBalancerDoc | undefined {
    return this.lbs.get(key(arn));
  }

  loadBalancerByName(region: string, accountId: string, name: string): LoadBalancerDoc | undefined {
    return this.lbs.values().find((l) => l.region === region && l.accountId === accountId && l.name === name);
  }

  loadBalancers(): LoadBalancerDoc[] {
    return this.lbs.values();
  }

  // ---- target groups -----------------------------------------------------------------------

  async createTargetGroup(i: CreateTargetGroupInput): Promise<TargetGroupDoc> {
    if (!ids.validName(i.name)) throw validation(`Target group name '${i.name}' can only contain characters that are alphanumeric characters or hyphens(-)`);
    const existing = this.targetGroupByName(i.region, i.accountId, i.name);
    if (existing) return existing;
    const arn = ids.targetGroupArn(i.region, i.accountId, i.name, this.ids.hex(16));
    const doc: TargetGroupDoc = {
      arn, name: i.name, region: i.region, accountId: i.accountId, protocol: i.protocol, port: i.port, vpcId: i.vpcId,
      targetType: i.targetType, ...(i.protocolVersion ? { protocolVersion: i.protocolVersion } : {}), ipAddressType: 'ipv4',
      healthCheck: { ...defaultHealthCheck(i.protocol, i.targetType), ...(i.healthCheck ?? {}) },
      attributes: { 'deregistration_delay.timeout_seconds': '300', ...(i.attributes ?? {}) }, tags: tagList(i.tags), targets: [],
    };
    await this.tgs.put(key(arn), doc);
    return doc;
  }

  async deleteTargetGroup(arn: string): Promise<void> {
    if (!this.tgs.has(key(arn))) return;
    const users = this.loadBalancerArnsOf(arn);
    if (users.length) throw resourceInUse(`Target group '${arn}' is currently in use by a listener or a rule`);
    this.timers.get(arn)?.timer.cancel();
    this.timers.delete(arn);
    await this.tgs.delete(key(arn));
    this.emit({ kind: 'targets', targetGroupArn: arn });
  }

  async setTargetGroupAttributes(arn: string, attributes: Record<string, string>): Promise<void> {
    const tg = this.mustTg(arn);
    await this.tgs.put(key(arn), { ...tg, attributes: { ...tg.attributes, ...attributes } });
  }

  async setHealthCheck(arn: string, hc: Partial<HealthCheckDoc>): Promise<void> {
    const tg = this.mustTg(arn);
    await this.tgs.put(key(arn), { ...tg, healthCheck: { ...tg.healthCheck, ...hc } });
  }

  targetGroup(arn: string): TargetGroupDoc | undefined {
    return this.tgs.get(key(arn));
  }

  targetGroupByName(region: string, accountId: string, name: string): TargetGroupDoc | undefined {
    return this.tgs.values().find((t) => t.region === region && t.accountId === accountId && t.name === name);
  }

  targetGroups(): TargetGroupDoc[] {
    return this.tgs.values();
  }

  loadBalancerArnsOf(targetGroupArn: string): string[] {
    const out = new Set<string>();
    const forwards = (acts: ActionDoc[]): boolean => acts.some((a) => a.type === 'forward' && a.targetGroups.some((g) => g.arn === targetGroupArn));
    for (const l of this.lis.values()) {
      if (forwards(l.defaultActions) || this.rules(l.arn).some((r) => forwards(r.actions))) out.add(l.loadBalancerArn);
    }
    return [...out].sort();
  }

  private mustTg(arn: string): TargetGroupDoc {
    const tg = this.targetGroup(arn);
    if (!tg) throw tgNotFound();
    return tg;
  }

  // ---- listeners and rules -----------------------------------------------------------------


  async createListener(i: CreateListenerInput): Promise<ListenerDoc> {
    if (!this.loadBalancer(i.loadBalancerArn)) throw lbNotFound();
    const same = this.listeners(i.loadBalancerArn).find((l) => l.port === i.port);
    if (same) {
      if (same.protocol === i.protocol) return same;
      throw duplicateListener();
    }
    this.checkActions(i.defaultActions);
    const arn = ids.listenerArn(i.loadBalancerArn, this.ids.hex(16));
    // HTTPS and TLS listeners that name no policy get ELB's default one (CreateListener SslPolicy).
    const sslPolicy = i.sslPolicy ?? (i.protocol === 'HTTPS' || i.protocol === 'TLS' ? DEFAULT_SSL_POLICY : undefined);
    const doc: ListenerDoc = {
      arn, loadBalancerArn: i.loadBalancerArn, port: i.port, protocol: i.protocol, certificates: i.certificates ?? [],
      ...(sslPolicy ? { sslPolicy } : {}), defaultActions: i.defaultActions, tags: tagList(i.tags),
    };
    await this.lis.put(key(arn), doc);
    this.indexListener(doc);
    this.emitTargetsOf(i.defaultActions);
    this.emit({ kind: 'listener', loadBalancerArn: i.loadBalancerArn });
    return doc;
  }

  async modifyListener(arn: string, change: Partial<Pick<ListenerDoc, 'defaultActions' | 'protocol' | 'certificates' | 'sslPolicy'>>): Promise<void> {
    const l = this.listener(arn);
    if (!l) throw listenerNotFound();
    if (change.defaultActions) this.checkActions(change.defaultActions);
    await this.lis.put(key(arn), { ...l, ...change });
    this.emitTargetsOf([...l.defaultActions, ...(change.defaultActions ?? [])]);
    this.emit({ kind: 'listener', loadBalancerArn: l.loadBalancerArn });
  }

  async deleteListener(arn: string): Promise<void> {
    const l = this.listener(arn);
    if (!l) return;
    for (const r of this.rules(arn)) if (r.priority !== 'default') await this.rls.delete(key(r.arn));
    await this.lis.delete(key(arn));
    this.listenersByLb.get(l.loadBalancerArn)?.delete(arn);
    this.emitTargetsOf(l.defaultActions);
    this.emit({ kind: 'listener', loadBalancerArn: l.loadBalancerArn });
  }

  listeners(loadBalancerArn: string): ListenerDoc[] {
    const arns = this.listenersByLb.get(loadBalancerArn) ?? new Set<string>();
    return [...arns].map((a) => this.lis.get(key(a))).filter((l): l is ListenerDoc => !!l).sort((a, b) => a.port - b.port);
  }

  listener(arn: string): ListenerDoc | undefined {
    return this.lis.get(key(arn));
  }

  async setRules(listenerArn: string, rules: RuleInput[]): Promise<void> {
    const l = this.listener(listenerArn);
    if (!l) throw listenerNotFound();
    const seen = new Set<number>();
    for (const r of rules) {
      if (seen.has(r.priority)) throw validation(`Priority '${r.priority}' was provided multiple times`);
      seen.add(r.priority);
      this.checkActions(r.actions);
    }
    const current = this.storedRules(listenerArn);
    const byPriority = new Map(current.map((r) => [r.priority, r]));
    for (const r of current) if (!seen.has(Number(r.priority))) await this.rls.delete(key(r.arn));
    for (const r of rules) {
      const cur = byPriority.get(String(r.priority));
      const doc: RuleDoc = { arn: cur?.arn ?? ids.ruleArn(listenerArn, this.ids.hex(16)), listenerArn, priority: String(r.priority), conditions: r.conditions, actions: r.actions, tags: cur?.tags ?? [] };
      if (!cur || JSON.stringify(cur) !== JSON.stringify(doc)) await this.rls.put(key(doc.arn), doc);
    }
    this.emitTargetsOf([...current.flatMap((r) => r.actions), ...rules.flatMap((r) => r.actions)]);
    this.emit({ kind: 'listener', loadBalancerArn: l.loadBalancerArn });
  }

  rules(listenerArn: string): RuleDoc[] {
    const l = this.listener(listenerArn);
    if (!l) return [];
    const stored = this.storedRules(listenerArn).sort((a, b) => Number(a.priority) - Number(b.priority));
    const def: RuleDoc = { arn: ids.ruleArn(listenerArn, 'default'), listenerArn, priority: 'default', conditions: [], actions: l.defaultActions, tags: [] };
    return [...stored, def];
  }

  private storedRules(listenerArn: string): RuleDoc[] {
    return this.rls.values().filter((r) => r.listenerArn === listenerArn);
  }

  private indexListener(l: ListenerDoc): void {
    let set = this.listenersByLb.get(l.loadBalancerArn);
    if (!set) this.listenersByLb.set(l.loadBalancerArn, (set = new Set()));
    set.add(l.arn);
  }

  private checkActions(actions: ActionDoc[]): void {
    for (const a of actions) if (a.type === 'forward') for (const g of a.targetGroups) if (!this.targetGroup(g.arn)) throw tgNotFound();
  }

  /** Attaching or detaching a group changes its targets' view (unused ↔ in use). */
  private emitTargetsOf(actions: ActionDoc[]): void {
    const arns = new Set(actions.flatMap((a) => (a.type === 'forward' ? a.targetGroups.map((g) => g.arn) : [])));
    for (const a of arns) this.emit({ kind: 'targets', targetGroupArn: a });
  }

  // ---- targets -----------------------------------------------------------------------------

  async registerTargets(arn: string, targets: Array<TargetRef & { healthy?: boolean }>): Promise<void> {
    await this.mutateTargets(arn, (tg, list, now) => {
      const byKey = new Map(list.map((t) => [targetKey(t), t]));
      for (const ref of targets) {
        const cur = byKey.get(targetKey(ref));
        if (cur && cur.state !== 'draining') continue;
        byKey.set(targetKey(ref), registered(ref, ref.healthy ?? true, tg, now, this.o.scale));
      }
      return [...byKey.values()];
    });
  }

  async deregisterTargets(arn: string, targets: TargetRef[]): Promise<void> {
    const gone = new Set(targets.map(targetKey));
    await this.mutateTargets(arn, (tg, list, now) => list.map((t) => (gone.has(targetKey(t)) ? deregistered(t, tg, now, this.o.scale) : t)));
  }

  async reportHealth(arn: string, results: Array<TargetRef & { healthy: boolean }>): Promise<void> {
    const verdicts = new Map(results.map((r) => [targetKey(r), r.healthy]));
    await this.mutateTargets(arn, (tg, list, now) => list.map((t) => {
      const v = verdicts.get(targetKey(t));
      return v === undefined ? t : probed(t, v, tg, now, this.o.scale);
    }));
  }

  targetHealth(arn: string): TargetDoc[] {
    const tg = this.mustTg(arn);
    const now = this.o.clock.now();
    return tg.targets.map((t) => advance(t, now)).filter((t): t is TargetDoc => t !== null);
  }

  /** Applies `fn` and any due transitions, persists when something changed, re-arms the timer. */
  private async mutateTargets(arn: string, fn: (tg: TargetGroupDoc, list: TargetDoc[], now: number) => TargetDoc[]): Promise<void> {
    const tg = this.mustTg(arn);
    const now = this.o.clock.now();
    const next = fn(tg, tg.targets, now).map((t) => advance(t, now)).filter((t): t is TargetDoc => t !== null);
    if (JSON.stringify(next) !== JSON.stringify(tg.targets)) {
      const doc = { ...tg, targets: next };
      await this.tgs.put(key(arn), doc);
      this.arm(doc);
      this.emit({ kind: 'targets', targetGroupArn: arn });
    }
  }

  private arm(tg: TargetGroupDoc): void {
    const due = nextDue(tg.targets);
    const cur = this.timers.get(tg.arn);
    if (cur && cur.at === due) return;
    cur?.timer.cancel();
    this.timers.delete(tg.arn);
    if (due === undefined) return;
    const timer = this.o.clock.setTimeout(() => {
      this.timers.delete(tg.arn);
      if (this.targetGroup(tg.arn)) void this.mutateTargets(tg.arn, (_tg, list) => list).catch(() => this.arm(this.targetGroup(tg.arn) ?? tg));
    }, Math.max(0, due - this.o.clock.now()));
    this.timers.set(tg.arn, { at: due, timer });
  }

  // ---- tags --------------------------------------------------------------------------------

  async addTags(arn: string, tags: Record<string, string>): Promise<void> {
    await this.retag(arn, (cur) => {
      const m = new Map(cur.map((t) => [t.key, t.value]));
      for (const [k, v] of Object.entries(tags)) m.set(k, v);
      return [...m].map(([k, v]) => ({ key: k, value: v }));
    });
  }

  async removeTags(arn: string, keys: string[]): Promise<void> {
    await this.retag(arn, (cur) => cur.filter((t) => !keys.includes(t.key)));
  }

  private async retag(arn: string, fn: (cur: Tag[]) => Tag[]): Promise<void> {
    const lb = this.loadBalancer(arn);
    if (lb) return this.lbs.put(key(arn), { ...lb, tags: fn(lb.tags) });
    const tg = this.targetGroup(arn);
    if (tg) return this.tgs.put(key(arn), { ...tg, tags: fn(tg.tags) });
    const l = this.listener(arn);
    if (l) return this.lis.put(key(arn), { ...l, tags: fn(l.tags) });
    const r = this.rls.get(key(arn));
    if (r) return this.rls.put(key(arn), { ...r, tags: fn(r.tags) });
    throw arn.includes(':targetgroup/') ? tgNotFound() : lbNotFound();
  }

  tagsOf(arn: string): Tag[] | undefined {
    return (this.loadBalancer(arn) ?? this.targetGroup(arn) ?? this.listener(arn) ?? this.rls.get(key(arn)))?.tags;
  }
}
