/**
 * Real traffic for the in-tree provider's classic ELBs (LoadBalancer Services that no controller
 * claims): one loopback TCP listener per Service port, forwarding each connection round-robin
 * to the Service's ready endpoints — the path ELB → node → kube-proxy → pod, so the pod sees its
 * node's IP as the source (kube-proxy SNAT). Not an ELBv2 resource: `aws elbv2` never shows it;
 * `keks lb` does (type `classic`).
 */
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import type { Address } from './balancer.js';
import type { ClusterCache } from './cluster-cache.js';
import { createNlbServer } from './nlb-proxy.js';
import { serviceEndpoints, type ServicePort } from './targets.js';
import type { ListenerAddress } from './traffic-plane.js';

interface Entry { hostname: string; port: number; server: Server; local: string; next: number }

export class ClassicElbs {
  private readonly byService = new Map<string, Entry[]>();

  constructor(private readonly o: {
    cache: ClusterCache;
    resolvePod(ip: string, port: number): Address | undefined;
    onChange(): void;
    onListening?(svc: KubeObject, hostname: string, port: number, local: string): void;
  }) {}

  /** Makes the Service's listeners match its ports (hostname already decided). */
  async ensure(svc: KubeObject, hostname: string): Promise<void> {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const ports = ((svc.spec as { ports?: ServicePort[] }).ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
    const cur = this.byService.get(key) ?? [];
    const want = new Set(ports.map((p) => p.port));
    const keep = cur.filter((e) => want.has(e.port) && e.hostname === hostname);
    for (const e of cur) if (!keep.includes(e)) e.server.close();
    for (const p of ports) {
      if (keep.some((e) => e.port === p.port)) continue;
      const entry: Entry = { hostname, port: p.port, server: createServer(), local: '', next: 0 };
      entry.server = createNlbServer(() => this.pick(key, p.port, entry));
      await new Promise<void>((r) => entry.server.listen(0, '127.0.0.1', r));
      const a = entry.server.address() as AddressInfo;
      entry.local = `${a.address}:${a.port}`;
      keep.push(entry);
      this.o.onListening?.(svc, hostname, p.port, entry.local);
    }
    if (keep.length) this.byService.set(key, keep); else this.byService.delete(key);
    if (keep.length !== cur.length || keep.some((e) => !cur.includes(e))) this.o.onChange();
  }

  remove(key: string): void {
    const cur = this.byService.get(key);
    if (!cur) return;
    for (const e of cur) e.server.close();
    this.byService.delete(key);
    this.o.onChange();
  }

  addresses(): ListenerAddress[] {
    const out: ListenerAddress[] = [];
    for (const [key, entries] of this.byService) {
      for (const e of entries) out.push({ loadBalancerArn: '', loadBalancerName: e.hostname.split('-')[0], hostname: e.hostname, type: 'classic', owner: `Service ${key}`, port: e.port, protocol: 'TCP', local: e.local });
    }
    return out;
  }

  stop(): void {
    for (const key of [...this.byService.keys()]) this.remove(key);
  }

  private pick(key: string, port: number, entry: Entry): Address | undefined {
    const [ns, name] = key.split('/');
    const svc = this.o.cache.service(ns, name);
    const sp = ((svc?.spec as { ports?: ServicePort[] } | undefined)?.ports ?? []).find((p) => p.port === port);
    if (!svc || !sp) return undefined;
    const ready = serviceEndpoints(this.o.cache, svc, sp).filter((e) => e.ready && !e.terminating);
    for (let i = 0; i < ready.length; i++) {
      const e = ready[entry.next++ % ready.length];
      const a = this.o.resolvePod(e.ip, e.port);
      if (!a) continue;
      const node = e.nodeName ? this.o.cache.nodeInformer.get(e.nodeName) : undefined;
      const ip = ((node?.status as { addresses?: Array<{ type: string; address: string }> } | undefined)?.addresses ?? []).find((x) => x.type === 'InternalIP')?.address;
      return ip ? { ...a, source: ip } : a;
    }
    return undefined;
  }
}
