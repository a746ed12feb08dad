/**
 * Composition root: configuration → store → clusters → (later) the AWS endpoint; started and
 * stopped in order. `startKeks` is what `keks start` and the test harness call.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { effectiveZones, type KeksConfig } from './config/config.js';
import { createStore } from './storage/index.js';
import type { Store } from './storage/interface.js';
import { Cluster } from './cluster/cluster.js';
import { realClock, type Clock } from './util/clock.js';
import { createLogger, type Logger } from './util/log.js';
import type { UserInfo } from './api/user.js';

export interface Keks {
  config: KeksConfig;
  store: Store;
  clusters: Cluster[];
  logger: Logger;
  /** Graceful stop: stop accepting, finish in-flight requests and writes, close the store. */
  stop(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logger?: Logger;
  /** Extra bearer tokens accepted by every cluster (tests, benchmarks). */
  tokens?: Map<string, UserInfo>;
  /** Run only these controllers (names from cluster/controllers.ts); default: all. */
  controllers?: string[];
}

export async function startKeks(config: KeksConfig, opts: StartOptions = {}): Promise<Keks> {
  const clock = opts.clock ?? realClock;
  const logger = opts.logger ?? createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const store = await createStore({
    kind: config.store,
    dataDir: config.dataDir,
    etcdEndpoints: config.etcdEndpoints,
    etcdPrefix: `/keks/${config.clusterName}`,
    clock,
  });
  const clusters: Cluster[] = [];
  try {
    clusters.push(await Cluster.start({
      name: config.clusterName,
      dir: join(config.dataDir, 'clusters', config.clusterName),
      store, clock, logger, host: config.host, port: config.port, tokens: opts.tokens, controllers: opts.controllers,
      shape: { region: config.region, zones: effectiveZones(config), nodes: config.nodes, instanceType: config.instanceType },
    }));
  } catch (e) {
    await store.close();
    throw e;
  }
  let stopping: Promise<void> | undefined;
  return {
    config, store, clusters, logger,
    stop() {
      return (stopping ??= (async () => {
        for (const c of clusters) await c.stop();
        await store.close();
      })());
    },
  };
}
