/**
 * The clusters of one keks process: starts, finds and deletes Kubernetes control planes. It is
 * the `ControlPlanes` the EKS service drives (CreateCluster → create, DeleteCluster → delete),
 * and `keks start`'s default cluster is created through the same path.
 *
 * Every cluster gets its own key space in the shared store (`/clusters/<name>/…`, a
 * PrefixedStore view), its own PKI directory (`<dataDir>/clusters/<name>/pki`), its own HTTPS
 * listener and its own controllers. Names are unique per process (EKS's uniqueness is per
 * account and region; the EKS service refuses a name another region already uses).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { Store } from '../storage/interface.js';
import { PrefixedStore } from '../storage/prefixed.js';
import type { UserInfo } from '../api/user.js';
import type { Authenticator } from '../auth/authn/types.js';
import type { AdmissionPlugin } from '../admission/types.js';
import type { ClusterShape } from '../simulator/simulator.js';
import type { ControlPlaneHandle, ControlPlanes, ControlPlaneSpec } from '../aws/core/backends.js';
import { Cluster, type ClusterOptions } from './cluster.js';

export interface ClusterManagerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  host: string;
  /** Extra bearer tokens every cluster accepts (tests, benchmarks). */
  tokens?: Map<string, UserInfo>;
  /** Controllers to run in every cluster (default: all). */
  controllers?: string[];
  /** Per-cluster extra authenticators (EKS tokens), given the cluster's name. */
  authenticators?: (clusterName: string, cluster: Cluster) => Authenticator[];
  /** Per-cluster extra admission plugins (EKS Fargate placement). */
  admission?: (clusterName: string) => AdmissionPlugin[];
  /**
   * Per-cluster add-ons started once the cluster serves (the load balancer controller and the
   * process runtime); stopped before the cluster stops.
   */
  addons?: (clusterName: string, cluster: Cluster) => { stop(): Promise<void> } | undefined;
  /** Per-cluster lookup of the real subnet of a node that is an EC2 instance (its pods' addresses). */
  podSubnets?: (clusterName: string) => ClusterOptions['podSubnets'];
  /** Per-cluster EKS access policies of a user (the access-policy authorizer's lookup). */
  accessPolicies?: (clusterName: string) => ClusterOptions['accessPolicies'];
}

export interface StartClusterOptions {
  /** 0 or undefined = any free port. */
  port?: number;
  /** Simulated nodes the node simulator creates itself (the default cluster's `--nodes`). */
  shape?: ClusterShape;
  serviceCidr?: string;
  /** Service-account token issuer (EKS: identity.oidc.issuer). */
  serviceAccountIssuer?: string;
}

export class ClusterManager implements ControlPlanes {
  private readonly o: ClusterManagerOptions;
  private readonly clusters = new Map<string, Cluster>();
  private readonly starting = new Map<string, Promise<Cluster>>();
  /** Simulated-node shapes of clusters that have their own (the default cluster's --nodes). */
  private readonly shapes = new Map<string, ClusterShape>();
  private readonly addons = new Map<string, { stop(): Promise<void> }>();

  constructor(o: ClusterManagerOptions) {
    this.o = o;
  }

  /** The simulated nodes the node simulator makes for `name` (instead of node groups' instances). */
  setShape(name: string, shape: ClusterShape): void {
    this.shapes.set(name, shape);
  }

  /** Starts (or returns the running) cluster `name`. */
  start(name: string, opts: StartClusterOptions = {}): Promise<Cluster> {
    const running = this.clusters.get(name);
    if (running) return Promise.resolve(running);
    let p = this.starting.get(name);
    if (!p) {
      p = Cluster.start({
        name,
        dir: join(this.o.dataDir, 'clusters', name),
        store: new PrefixedStore(this.o.store, `/clusters/${name}`),
        clock: this.o.clock,
        logger: this.o.logger.child({ cluster: name }),
        host: this.o.host,
        port: opts.port ?? 0,
        tokens: this.o.tokens,
        controllers: this.o.controllers,
        shape: opts.shape ?? this.shapes.get(name) ?? { region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b', 'us-east-1c'], nodes: 0, instanceType: 't3.medium' },
        ...(opts.serviceCidr ? { serviceCidr: opts.serviceCidr } : {}),
        ...(opts.serviceAccountIssuer ? { serviceAccountIssuer: opts.serviceAccountIssuer } : {}),
        ...(this.o.authenticators ? { authenticators: (c: Cluster) => this.o.authenticators!(name, c) } : {}),
        ...(this.o.admission ? { admission: this.o.admission(name) } : {}),
        ...(this.o.accessPolicies ? { accessPolicies: this.o.accessPolicies(name) } : {}),
        ...(this.o.podSubnets ? { podSubnets: this.o.podSubnets(name) } : {}),
      }).then((c) => {
        this.clusters.set(name, c);
        const addons = this.o.addons?.(name, c);
        if (addons) this.addons.set(name, addons);
        return c;
      }).finally(() => this.starting.delete(name));
      this.starting.set(name, p);
    }
    return p;
  }

  async create(spec: ControlPlaneSpec): Promise<ControlPlaneHandle> {
    const shape = this.shapes.get(spec.name) ?? { region: spec.region, zones: ['a', 'b', 'c'].map((z) => `${spec.region}${z}`), nodes: 0, instanceType: 't3.medium' };
    return this.start(spec.name, { port: spec.port ?? 0, shape, serviceCidr: spec.serviceIpv4Cidr, ...(spec.oidcIssuer ? { serviceAccountIssuer: spec.oidcIssuer } : {}) });
  }

  get(name: string): Cluster | undefined {
    return this.clusters.get(name);
  }

  list(): Cluster[] {
    return [...this.clusters.values()];
  }

  /** Stops the cluster and removes its objects and PKI (EKS DeleteCluster). */
  async delete(name: string): Promise<void> {
    const c = this.clusters.get(name) ?? (await this.starting.get(name)?.catch(() => undefined));
    if (c) {
      await this.stopAddons(name);
      await c.stop();
      this.clusters.delete(name);
    }
    await new PrefixedStore(this.o.store, `/clusters/${name}`).deleteAll();
    rmSync(join(this.o.dataDir, 'clusters', name), { recursive: true, force: true });
  }

  private async stopAddons(name: string): Promise<void> {
    const a = this.addons.get(name);
    this.addons.delete(name);
    await a?.stop().catch(() => undefined);
  }

  /** Stops every cluster (process shutdown); their objects stay. */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.starting.values()]);
    for (const name of [...this.addons.keys()]) await this.stopAddons(name);
    for (const c of this.clusters.values()) await c.stop();
    this.clusters.clear();
  }
}
