/**
 * The load balancer add-on's public surface for the composition root: one controller per
 * cluster, started with that cluster's client and the process's ELBv2 backend.
 */
import { LoadBalancerController, type LoadBalancerControllerOptions } from './controller.js';
import type { ListenerAddress } from './traffic-plane.js';
import { startProcessRuntime, type ProcessRuntime } from '../runtime/runtime.js';

export { LoadBalancerController, type LoadBalancerControllerOptions } from './controller.js';
export type { ListenerAddress } from './traffic-plane.js';

export interface LoadBalancerControllerHandle {
  /** Resolves once the CRDs are installed, caches synced and existing listeners bound. */
  ready: Promise<void>;
  /** Local listener addresses (hostname → 127.0.0.1:port), one per listener. */
  addresses(): ListenerAddress[];
  stop(): Promise<void>;
}

/** Starts the emulated AWS Load Balancer Controller for one cluster. */
export function startLoadBalancerController(opts: LoadBalancerControllerOptions): LoadBalancerControllerHandle {
  const c = new LoadBalancerController(opts);
  const ready = c.start();
  ready.catch((e: unknown) => opts.logger?.error({ err: (e as Error).message }, 'lb: controller failed to start'));
  return {
    ready,
    addresses: () => c.addresses(),
    async stop() {
      await ready.catch(() => undefined);
      await c.stop();
    },
  };
}

export interface ClusterNetworkingHandle {
  runtime: ProcessRuntime;
  loadBalancers: LoadBalancerControllerHandle;
  stop(): Promise<void>;
}

/**
 * Both add-ons of one cluster wired together: the process runtime (pods answer) and the load
 * balancer controller whose listeners reach those pods. `resolvePod` comes from the runtime.
 */
export function startClusterNetworking(opts: Omit<LoadBalancerControllerOptions, 'resolvePod'>): ClusterNetworkingHandle {
  const runtime = startProcessRuntime({ client: opts.client, clock: opts.clock, logger: opts.logger });
  const loadBalancers = startLoadBalancerController({ ...opts, resolvePod: (ip, port) => runtime.resolve(ip, port) });
  return {
    runtime, loadBalancers,
    async stop() {
      await loadBalancers.stop();
      await runtime.stop();
    },
  };
}

