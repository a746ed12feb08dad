/**
 * The controllers every cluster runs (kube-controller-manager's set, growing issue by issue).
 * One place to add one: a factory from the shared context to something with start()/stop().
 */
import type { Clock } from '../util/clock.js';
import type { Logger } from '../util/log.js';
import type { ApiClient } from '../client/client.js';
import { NamespaceController } from '../controllers/namespace/controller.js';

export interface RunnableController {
  start(): void;
  stop(): Promise<void>;
}

export interface ControllerContext {
  /** An API client with the loopback (system:masters) identity. */
  client: ApiClient;
  clock: Clock;
  logger: Logger;
}

export type ControllerFactory = (ctx: ControllerContext) => RunnableController;

export const CONTROLLERS: Array<{ name: string; create: ControllerFactory }> = [
  {
    name: 'namespace',
    create: (c) => new NamespaceController({
      client: c.client, clock: c.clock,
      onError: (key, err) => c.logger.debug({ key, err: (err as Error).message }, 'namespace sync retry'),
    }),
  },
];
