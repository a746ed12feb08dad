/**
 * Everything one cluster's RBAC needs at run time, built together: the index of RBAC objects fed
 * from registry watches, the authorizer reading it, the clusterrole-aggregation pass, and the
 * escalation check for RBAC writes. The composition root starts it before serving and stops it
 * with the cluster.
 */
import type { Registry } from '../../registry/registry.js';
import type { AdmissionPlugin } from '../../admission/types.js';
import { RbacIndex } from '../../auth/authz/rbac/rbac-index.js';
import { rbacAuthorizer } from '../../auth/authz/rbac/authorizer.js';
import type { Authorizer } from '../../auth/authz/types.js';
import { RbacFeed } from './rbac-feed.js';
import { ClusterRoleAggregator } from './clusterrole-aggregation.js';
import { rbacEscalationCheck } from './rbac-escalation.js';

export interface RbacRuntimeOptions {
  registry: Registry;
  /** The server's whole authorizer chain, read lazily (it contains this runtime's authorizer). */
  authorizers: () => Authorizer[];
  onError?: (err: unknown) => void;
}

export class RbacRuntime {
  readonly index = new RbacIndex();
  readonly authorizer: Authorizer;
  readonly escalation: AdmissionPlugin;
  readonly aggregator: ClusterRoleAggregator;
  private readonly feed: RbacFeed;

  constructor(o: RbacRuntimeOptions) {
    this.authorizer = rbacAuthorizer({ reader: this.index });
    this.escalation = rbacEscalationCheck({ reader: this.index, authorizers: o.authorizers });
    this.feed = new RbacFeed({ registry: o.registry, index: this.index, onError: o.onError });
    this.aggregator = new ClusterRoleAggregator({ registry: o.registry, index: this.index, onError: o.onError });
  }

  /** Resolves once the index holds the current RBAC objects. */
  async start(): Promise<void> {
    await this.feed.start();
    this.aggregator.schedule();
  }

  stop(): void {
    this.aggregator.stop();
    this.feed.stop();
  }
}
