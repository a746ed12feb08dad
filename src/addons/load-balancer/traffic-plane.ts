/**
 * Real traffic for the emulated load balancers: every listener of every load balancer this
 * cluster's controller owns (tag elbv2.k8s.aws/cluster) gets a server on 127.0.0.1 (NLB:
 * TCP piping, ALB: HTTP routing) that forwards to the listener's healthy targets, resolved to
 * where the pods' processes really listen.
 *
 * It follows the Elbv2Backend's change feed: target changes refresh that group's pool on the
 * next use; listener and load balancer changes re-sync the servers (on the next tick, batched).
 * The bound addresses are written to `<dataDir>/load-balancers/<cluster>.json` (what `keks lb`
 * lists) and re-used after a restart when still free.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:net';
import type { ActionDoc, Elbv2Backend, ListenerDoc, LoadBalancerDoc, RuleDoc, TargetDoc } from '../../aws/services/elbv2/model.js';
import type { Logger } from '../../util/log.js';
import { createAlbServer } from './alb-proxy.js';
import { createCa, issueServingCert } from '../../pki/index.js';
import type { CertKeyPem } from '../../pki/types.js';
import { TargetPool, WeightedChoice, type Address } from './balancer.js';
import { createNlbServer } from './nlb-proxy.js';
import { TAG_CLUSTER, TAG_INGRESS_STACK, TAG_SERVICE_STACK } from './naming.js';

export interface ListenerAddress {
  loadBalancerArn: string;
  loadBalancerName: string;
  hostname: string;
  type: LoadBalancerDoc['type'] | 'classic';
  /** `Service ns/name` or `Ingress group` (from the stack tags). */
  owner: string;
  port: number;
  protocol: string;
  local: string;
}

export interface TrafficPlaneOptions {
  backend: Elbv2Backend;
  clusterName: string;
  /** Where a target (pod IP or instance + port) of a group really answers. */
  resolve(targetGroupArn: string, target: TargetDoc): Address | undefined;
  /** Directory for `load-balancers/<cluster>.json`; none = no file. */
  dataDir?: string;
  host?: string;
  logger?: Logger;
  /**
   * Also serve load balancers no cluster claims (made with the aws CLI, no elbv2.k8s.aws/cluster
   * tag) — one cluster of a process should (the default one).
   */
  serveUnowned?: boolean;
  /** Listeners served elsewhere (classic ELBs), listed and written to the file too. */
  extra?: () => ListenerAddress[];
  /** NLB listeners hand connections to same-process targets instead of piping (default true). */
  handoff?: boolean;
  /** A listener started serving (or moved) on `local`. */
  onListening?(lb: LoadBalancerDoc, listener: ListenerDoc, local: string): void;
}

interface Serving { server: Server; local: string; lbArn: string; port: number }

export class TrafficPlane {
  private readonly servers = new Map<string, Serving>();
  /** The CA that signs HTTPS listeners' certificates (made on first use; `<dataDir>/load-balancers/<cluster>-ca.crt`). */
  private ca: Promise<CertKeyPem> | undefined;
  private readonly pools = new Map<string, { pool: TargetPool; dirty: boolean }>();
  private readonly rulesCache = new Map<string, RuleDoc[]>();
  private readonly choice = new WeightedChoice();
  private readonly previous = new Map<string, number>();
  private readonly unsubscribe: () => void;
  private scheduled = false;
  private syncing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: TrafficPlaneOptions) {
    for (const e of this.readFile()) this.previous.set(`${e.hostname}:${e.port}`, Number(e.local.split(':').pop()));
    this.unsubscribe = o.backend.onChange((c) => {
      if (c.kind === 'targets') { const p = this.pools.get(c.targetGroupArn); if (p) p.dirty = true; return; }
      this.rulesCache.clear();
      this.schedule();
    });
  }

  /** Binds servers for the listeners that exist now; later changes follow by themselves. */
  start(): Promise<void> {
    this.schedule();
    return this.whenSynced();
  }

  whenSynced(): Promise<void> {
    return new Promise((r) => setImmediate(() => { void this.syncing.then(r); }));
  }

  /** The local addresses, one per listener. */
  addresses(): ListenerAddress[] {
    const out: ListenerAddress[] = [];
    for (const [arn, s] of this.servers) {
      const lb = this.o.backend.loadBalancer(s.lbArn);
      const l = this.o.backend.listener(arn);
      if (!lb || !l) continue;
      out.push({ loadBalancerArn: lb.arn, loadBalancerName: lb.name, hostname: lb.dnsName, type: lb.type, owner: ownerOf(lb), port: l.port, protocol: l.protocol, local: s.local });
    }
    out.push(...(this.o.extra?.() ?? []));
    return out.sort((a, b) => a.hostname.localeCompare(b.hostname) || a.port - b.port);
  }

  /** Rewrites the address file (the extra listeners changed). */
  refreshFile(): void {
    if (!this.stopped) this.writeFile();
  }

  /** The local address of a load balancer's listener port. */
  localAddress(lbArn: string, port: number): string | undefined {
    for (const s of this.servers.values()) if (s.lbArn === lbArn && s.port === port) return s.local;
    return undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    await this.syncing;
    await Promise.all([...this.servers.keys()].map((arn) => this.close(arn)));
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.syncing = this.syncing.then(() => this.sync()).catch((e: unknown) => this.o.logger?.warn({ err: (e as Error).message }, 'lb: listener sync failed'));
    });
  }

  private ours(lb: LoadBalancerDoc): boolean {
    const owner = lb.tags.find((t) => t.key === TAG_CLUSTER)?.value;
    return owner === this.o.clusterName || (owner === undefined && this.o.serveUnowned === true);
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const wanted = new Map<string, { lb: LoadBalancerDoc; l: ListenerDoc }>();
    for (const lb of this.o.backend.loadBalancers()) if (this.ours(lb)) for (const l of this.o.backend.listeners(lb.arn)) wanted.set(l.arn, { lb, l });
    for (const arn of [...this.servers.keys()]) if (!wanted.has(arn)) await this.close(arn);
    let changed = false;
    for (const [arn, { lb, l }] of wanted) {
      if (this.servers.has(arn)) continue;
      const server = lb.type === 'network'
        ? createNlbServer(() => this.pickForward(this.o.backend.listener(arn)?.defaultActions ?? [], lb, l.port), this.o.handoff ?? true)
        : createAlbServer({
          listener: () => this.o.backend.listener(arn),
          rules: () => this.rules(arn),
          pick: (a) => this.pickAction(a),
        }, l.protocol === 'HTTPS' ? await this.certificateFor(lb.dnsName) : undefined);
      const local = await this.bind(server, this.previous.get(`${lb.dnsName}:${l.port}`));
      if (this.stopped) { server.close(); return; }
      this.servers.set(arn, { server, local, lbArn: lb.arn, port: l.port });
      changed = true;
      this.o.logger?.info({ lb: lb.name, port: l.port, local }, 'lb: listening');
      this.o.onListening?.(lb, l, local);
    }
    if (changed || wanted.size !== this.servers.size) this.writeFile();
  }

  /**
   * A serving certificate for an HTTPS listener's hostname, from a CA this plane makes once and
   * writes next to the listener file, so `curl --cacert <dataDir>/load-balancers/<cluster>-ca.crt` works.
   */
  private async certificateFor(hostname: string): Promise<CertKeyPem> {
    this.ca ??= createCa({ commonName: 'keks load balancers' }).then((ca) => {
      if (this.o.dataDir) {
        mkdirSync(join(this.o.dataDir, 'load-balancers'), { recursive: true });
        writeFileSync(join(this.o.dataDir, 'load-balancers', `${this.o.clusterName}-ca.crt`), ca.certPem);
      }
      return ca;
    });
    return issueServingCert(await this.ca, { commonName: hostname, sans: [hostname, 'localhost', '127.0.0.1'] });
  }

  private bind(server: Server, preferred: number | undefined): Promise<string> {
    const host = this.o.host ?? '127.0.0.1';
    const listen = (port: number): Promise<string> => new Promise((resolve, reject) => {
      const onErr = (e: Error): void => reject(e);
      server.once('error', onErr);
      server.listen(port, host, () => {
        server.off('error', onErr);
        const a = server.address() as AddressInfo;
        resolve(`${a.address}:${a.port}`);
      });
    });
    return preferred ? listen(preferred).catch(() => listen(0)) : listen(0);
  }

  private async close(arn: string): Promise<void> {
    const s = this.servers.get(arn);
    if (!s) return;
    this.servers.delete(arn);
    await new Promise<void>((r) => {
      s.server.close(() => r());
      (s.server as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    if (!this.stopped) this.writeFile();
  }

  private rules(listenerArn: string): RuleDoc[] {
    let r = this.rulesCache.get(listenerArn);
    if (!r) { r = this.o.backend.rules(listenerArn); this.rulesCache.set(listenerArn, r); }
    return r;
  }

  private pickForward(actions: ActionDoc[], lb: LoadBalancerDoc, listenerPort: number): Address | undefined {
    const a = actions.find((x) => x.type === 'forward');
    return a && a.type === 'forward' ? this.pickAction(a, lb, listenerPort) : undefined;
  }

  /**
   * The next healthy target of the action's (weighted) group. For an NLB (`lb` given) also the
   * source address the pod sees: the NLB's private IP in the target's zone unless the group
   * preserves client IPs (`preserve_client_ip.enabled`, default false for ip/TCP groups, true for
   * instance groups), or what the path to the pod rewrote it to (kube-proxy's SNAT); and, with
   * `proxy_protocol_v2.enabled`, the PROXY header's destination (the NLB's IP and listener port).
   */
  private pickAction(a: Extract<ActionDoc, { type: 'forward' }>, lb?: LoadBalancerDoc, listenerPort = 0): Address | undefined {
    const arn = this.choice.choose(a.targetGroups);
    if (!arn) return undefined;
    let entry = this.pools.get(arn);
    if (!entry) { entry = { pool: new TargetPool(), dirty: true }; this.pools.set(arn, entry); }
    if (entry.dirty) {
      entry.dirty = false;
      entry.pool.set(this.o.backend.targetGroup(arn) ? this.o.backend.targetHealth(arn) : []);
    }
    const tg = lb ? this.o.backend.targetGroup(arn) : undefined;
    if (!lb || !tg) return entry.pool.pick((t) => this.o.resolve(arn, t));
    const preserve = (tg.attributes['preserve_client_ip.enabled'] ?? (tg.targetType === 'ip' ? 'false' : 'true')) === 'true';
    const proxy = tg.attributes['proxy_protocol_v2.enabled'] === 'true';
    return entry.pool.pick((t) => {
      const addr = this.o.resolve(arn, t);
      if (!addr) return undefined;
      const source = addr.source ?? (preserve ? undefined : loadBalancerIp(lb, t.availabilityZone));
      if (proxy) return { ...addr, source, proxy: { destinationIp: loadBalancerIp(lb, t.availabilityZone), destinationPort: listenerPort } };
      return source === addr.source ? addr : { ...addr, source };
    });
  }

  private file(): string | undefined {
    return this.o.dataDir ? join(this.o.dataDir, 'load-balancers', `${this.o.clusterName}.json`) : undefined;
  }

  private readFile(): ListenerAddress[] {
    const f = this.file();
    if (!f) return [];
    try {
      return (JSON.parse(readFileSync(f, 'utf8')) as { listeners?: ListenerAddress[] }).listeners ?? [];
    } catch {
      return [];
    }
  }

  private writeFile(): void {
    const f = this.file();
    if (!f || !this.o.dataDir) return;
    try {
      mkdirSync(join(this.o.dataDir, 'load-balancers'), { recursive: true });
      const tmp = `${f}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify({ cluster: this.o.clusterName, pid: process.pid, listeners: this.addresses() }, null, 2)}\n`);
      renameSync(tmp, f);
    } catch (e) {
      this.o.logger?.warn({ err: (e as Error).message }, 'lb: cannot write listener addresses');
    }
  }
}

/** A stable private IP of the load balancer's node in a zone (192.168.<zone /19>.x, as eksctl VPCs). */
export function loadBalancerIp(lb: LoadBalancerDoc, zone: string | undefined): string {
  const i = Math.max(0, lb.zones.findIndex((z) => z.zoneName === zone));
  let h = 0;
  for (const c of `${lb.arn}/${i}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `192.168.${(i * 32 + 16 + ((h >>> 8) % 16)) % 256}.${(h % 253) + 1}`;
}

/** `Service ns/name`, `Ingress group` or `Ingress ns/name` from the stack tags. */
export function ownerOf(lb: LoadBalancerDoc): string {
  const svc = lb.tags.find((t) => t.key === TAG_SERVICE_STACK);
  if (svc) return `Service ${svc.value}`;
  const ing = lb.tags.find((t) => t.key === TAG_INGRESS_STACK);
  return ing ? `Ingress ${ing.value}` : '';
}
