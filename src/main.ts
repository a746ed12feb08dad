/**
 * Composition root: configuration → store → clusters → (later) the AWS endpoint; started and
 * stopped in order. `startKeks` is what `keks start` and the test harness call.
 */
import { mkdirSync } from 'node:fs';
import { effectiveZones, type KeksConfig } from './config/config.js';
import { createStore } from './storage/index.js';
import type { Store } from './storage/interface.js';
import type { Cluster } from './cluster/cluster.js';
import { ClusterManager } from './cluster/manager.js';
import { ensureDefaultCluster, startAwsStack, type AwsStack } from './cluster/aws-stack.js';
import { realClock, type Clock } from './util/clock.js';
import { createLogger, type Logger } from './util/log.js';
import type { UserInfo } from './api/user.js';

export interface Keks {
  config: KeksConfig;
  store: Store;
  /** The default cluster first, then EKS-created ones in creation order. */
  readonly clusters: Cluster[];
  manager: ClusterManager;
  /** The AWS endpoint and services (IAM, STS, EC2, Auto Scaling, EKS). */
  aws: AwsStack;
  logger: Logger;
  /** Graceful stop: stop accepting, finish in-flight requests and writes, close the store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Extra bearer tokens accepted by every cluster (tests, benchmarks). */
  tokens?: Map<string, UserInfo>;
  /** Run only these controllers (names from cluster/controllers.ts, plus ADDONS_NAME); default: all. */
  controllers?: string[];
  /** Per-cluster add-ons (load balancer controller, process runtime); default true. Tests that run their own pass false. */
  clusterAddons?: boolean;
  /** The default cluster's self-managed vpc-cni, coredns and kube-proxy (EKS bootstrapSelfManagedAddons); default true. */
  selfManagedAddons?: boolean;
}

/** The per-cluster add-ons' name in a `controllers` list (the AWS Load Balancer Controller and the process runtime). */
export const ADDONS_NAME = 'aws-load-balancer-controller';

export async function startKeks(config: KeksConfig, opts: StartOptions = {}): Promise<Keks> {
  const clock = opts.clock ?? realClock;
  const logger = opts.logger ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await createStore({
    kind: config.store,
    dataDir: config.dataDir,
    etcdEndpoints: config.etcdEndpoints,
    etcdPrefix: '/keks',
    clock,
  });
  // The AWS stack and the clusters need each other (EKS creates clusters; clusters sign IAM
  // identities in through EKS): the manager reaches the stack late, once it exists.
  const late: { aws?: AwsStack } = {};
  const manager = new ClusterManager({
    store, clock, logger, dataDir: config.dataDir, host: config.host, tokens: opts.tokens, controllers: opts.controllers,
    authenticators: (name, cluster) => late.aws?.authenticators(name, cluster) ?? [],
    admission: (name) => late.aws?.admission(name) ?? [],
    // A narrowed controller set (tests) runs the add-ons only when it names them.
    addons: (name, cluster) => (opts.clusterAddons === false || (opts.controllers && !opts.controllers.includes(ADDONS_NAME))
      ? undefined : late.aws?.addons(name, cluster)),
    accessPolicies: (name) => (user) => late.aws?.accessPolicies(name, user) ?? [],
    podSubnets: (name) => (nodeIp) => late.aws?.podSubnet(name, nodeIp),
  });
  manager.setShape(config.clusterName, { region: config.region, zones: effectiveZones(config), nodes: config.nodes, instanceType: config.instanceType });
  let aws: AwsStack;
  try {
    aws = late.aws = await startAwsStack({ config, store, clock, logger, manager, timeScale: config.timeScale });
    // An explicit --port moves the default cluster there on restart (the CLI rewrites its
    // kubeconfig entry on every start); with port 0 it keeps the port it had.
    await aws.eks.restore((name) => (name === config.clusterName && config.port ? config.port : undefined));
    await ensureDefaultCluster(aws, config, { selfManagedAddons: opts.selfManagedAddons ?? true });
    // The default cluster must serve when start returns; if restoring it failed (its port taken
    // by another keks…), the caller gets that error (EADDRINUSE → the CLI's "port is in use").
    if (!manager.get(config.clusterName)) {
      const rec = aws.eks.clusters.byName(config.clusterName);
      throw aws.restoreError(config.clusterName)
        ?? new Error(`cluster "${config.clusterName}" did not start${rec?.failure ? `: ${rec.failure}` : ' (see the log)'}`);
    }
  } catch (e) {
    await late.aws?.stop();
    await manager.stopAll();
    await store.close();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return {
    config, store, logger, manager, aws,
    get clusters() {
      const all = manager.list();
      return [...all.filter((c) => c.name === config.clusterName), ...all.filter((c) => c.name !== config.clusterName)];
    },
    stop() {
      return (stopping ??= (async () => {
        await aws.stop();
        await manager.stopAll();
        await store.close();
      })());
    },
  };
}
