/**
 * The process runtime: real HTTP servers, on loopback, for the pods whose images it knows
 * (images.ts). It watches pods through the cluster API like a kubelet's container runtime would
 * — but it does not own pod status (the node simulator does): a server starts when it sees the
 * pod Running with a pod IP, and stops when the pod is deleted, terminating, or finished.
 *
 * `resolve(podIp, containerPort)` answers where that pod's process really listens
 * (127.0.0.1:<ephemeral port>), so load balancers and proxies can reach pod IPs that exist only
 * in the simulation.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { KubeObject } from '../../api/types.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { InformerLease, sharedInformersFor } from '../../client/shared-informers.js';
import type { Clock } from '../../util/clock.js';
import type { Logger } from '../../util/log.js';
import { classify, type ContainerLike } from './images.js';
import { handlerFor, setSimulatedSource } from './servers.js';
import { acceptProxyHeader } from './proxy-accept.js';

const PODS: ResourceRef = { group: '', version: 'v1', resource: 'pods', namespaced: true };

/**
 * Where a pod's port really answers. `accept` hands an already-accepted TCP connection straight
 * to the pod's server (same process: no second socket, no copy) — what a load balancer in this
 * process uses instead of connecting to host:port.
 */
export interface LocalAddress { host: string; port: number; accept?: (socket: Socket, sourceIp?: string) => void }

export interface ProcessRuntimeOptions {
  client: ApiClient;
  clock: Clock;
  logger?: Logger;
  /** Listen address of the servers (default 127.0.0.1). */
  host?: string;
}

export interface ProcessRuntime {
  /** Where `podIp:port` really answers, or undefined (not a runnable pod / not running). */
  resolve(podIp: string, port: number): LocalAddress | undefined;
  /** Resolves once the pod informer has listed (servers for existing pods are starting). */
  ready(): Promise<void>;
  /** Running servers (for diagnostics and tests): pod key → ports. */
  servers(): Map<string, Array<{ containerPort: number; local: LocalAddress }>>;
  stop(): Promise<void>;
}

/** One served container port: the HTTP server and the TCP listener in front of it. */
interface PodServer { containerPort: number; server: Server; front: NetServer; local?: LocalAddress }

interface PodServers {
  uid: string;
  podIp: string;
  entries: PodServer[];
}

function runnable(pod: KubeObject): boolean {
  const st = pod.status as { phase?: string; podIP?: string } | undefined;
  return !pod.metadata.deletionTimestamp && st?.phase === 'Running' && !!st.podIP;
}

class Runtime implements ProcessRuntime {
  private readonly pods: InformerLease;
  private readonly running = new Map<string, PodServers>();
  private readonly byAddress = new Map<string, LocalAddress>();
  private stopped = false;

  constructor(private readonly o: ProcessRuntimeOptions) {
    // The cluster's shared pod cache (its handlers leave with this add-on).
    this.pods = new InformerLease(sharedInformersFor(o.client, o.clock).informerFor({ ref: PODS }));
    this.pods.addHandlers({
      add: (p) => this.reconcile(p),
      update: (_old, p) => this.reconcile(p),
      delete: (p) => this.teardown(this.keyOf(p)),
    });
  }

  start(): void {
    this.pods.start();
  }

  ready(): Promise<void> {
    return this.pods.waitForSync();
  }

  resolve(podIp: string, port: number): LocalAddress | undefined {
    return this.byAddress.get(`${podIp}:${port}`);
  }

  servers(): Map<string, Array<{ containerPort: number; local: LocalAddress }>> {
    const out = new Map<string, Array<{ containerPort: number; local: LocalAddress }>>();
    for (const [k, s] of this.running) out.set(k, s.entries.filter((e) => e.local).map((e) => ({ containerPort: e.containerPort, local: e.local as LocalAddress })));
    return out;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pods.stop();
    await Promise.all([...this.running.keys()].map((k) => this.teardown(k)));
  }

  private keyOf(p: KubeObject): string {
    return `${p.metadata.namespace}/${p.metadata.name}`;
  }

  private reconcile(pod: KubeObject): void {
    const key = this.keyOf(pod);
    const cur = this.running.get(key);
    const podIp = (pod.status as { podIP?: string } | undefined)?.podIP ?? '';
    if (!runnable(pod) || this.stopped) { if (cur) void this.teardown(key); return; }
    if (cur && cur.uid === pod.metadata.uid && cur.podIp === podIp) return;
    if (cur) void this.teardown(key);
    const containers = ((pod.spec as { containers?: ContainerLike[] } | undefined)?.containers ?? []);
    const plan = containers.map(classify).filter((c) => c !== undefined);
    if (plan.length === 0) return;
    const entry: PodServers = { uid: pod.metadata.uid ?? '', podIp, entries: [] };
    this.running.set(key, entry);
    const identity = { name: pod.metadata.name ?? '', namespace: pod.metadata.namespace ?? '', podIp, nodeName: (pod.spec as { nodeName?: string }).nodeName };
    const taken = new Set<number>();
    for (const c of plan) {
      for (const port of c.ports) {
        if (taken.has(port)) continue; // two containers of one pod cannot bind one port
        taken.add(port);
        const server = createServer({ keepAliveTimeout: 65_000 }, handlerFor(c.server, identity));
        // Every connection passes the PROXY-header check first (proxy-accept.ts), then goes to HTTP.
        const serve = (socket: Socket, sourceIp?: string): void => {
          if (sourceIp) setSimulatedSource(socket, sourceIp);
          acceptProxyHeader(socket, (proxied) => {
            if (proxied) setSimulatedSource(socket, proxied);
            server.emit('connection', socket);
          });
        };
        const front = createNetServer({ noDelay: true }, (socket) => serve(socket));
        const e: PodServer = { containerPort: port, server, front };
        entry.entries.push(e);
        front.on('error', (err) => this.o.logger?.debug({ pod: key, port, err: err.message }, 'runtime: server error'));
        front.listen(0, this.o.host ?? '127.0.0.1', () => {
          if (this.running.get(key) !== entry) { front.close(); return; }
          const a = front.address() as AddressInfo;
          e.local = { host: a.address, port: a.port, accept: serve };
          this.byAddress.set(`${podIp}:${port}`, e.local);
          this.o.logger?.debug({ pod: key, podIp, port, local: a.port }, 'runtime: serving');
        });
      }
    }
  }

  private async teardown(key: string): Promise<void> {
    const cur = this.running.get(key);
    if (!cur) return;
    this.running.delete(key);
    await Promise.all(cur.entries.map((e) => {
      const addr = `${cur.podIp}:${e.containerPort}`;
      if (e.local && this.byAddress.get(addr) === e.local) this.byAddress.delete(addr);
      return new Promise<void>((r) => {
        e.front.close(() => r());
        e.server.closeAllConnections();
      });
    }));
  }
}

/** Starts watching pods and serving the runnable ones. */
export function startProcessRuntime(opts: ProcessRuntimeOptions): ProcessRuntime {
  const r = new Runtime(opts);
  r.start();
  return r;
}
