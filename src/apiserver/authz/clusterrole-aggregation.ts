/**
 * The clusterrole-aggregation controller (k8s.io/kubernetes/pkg/controller/clusterroleaggregation)
 * run beside the RBAC index: whenever a ClusterRole changes, every ClusterRole with an
 * aggregationRule gets the union of the rules of the roles its selectors match, written back
 * through the registry (the controller holds `escalate` on clusterroles, so no escalation check).
 * Writes are idempotent (nothing is written when the rules already match), so the loop settles.
 */
import type { Registry } from '../../registry/registry.js';
import type { RbacIndex } from '../../auth/authz/rbac/rbac-index.js';
import { aggregatedRules, rulesEqual } from '../../auth/authz/rbac/aggregation.js';
import type { KubeObject } from '../../api/types.js';

export interface ClusterRoleAggregatorOptions {
  registry: Registry;
  index: RbacIndex;
  onError?: (err: unknown) => void;
}

export class ClusterRoleAggregator {
  private scheduled = false;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly o: ClusterRoleAggregatorOptions) {
    o.index.onChange((kind) => { if (kind === 'ClusterRole') this.schedule(); });
  }

  /** Run one pass soon (coalesces bursts of changes into one pass). */
  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.running = this.running.then(() => this.pass()).catch((e) => this.o.onError?.(e));
    });
  }

  /** Resolves when the passes scheduled so far have finished. */
  async settled(): Promise<void> {
    while (this.scheduled) await new Promise((r) => setImmediate(r));
    await this.running;
  }

  private async pass(): Promise<void> {
    if (this.stopped) return;
    const store = this.o.registry.storeOf('rbac.authorization.k8s.io', 'clusterroles');
    const roles = [...this.o.index.allClusterRoles()];
    let failed = false;
    for (const role of roles) {
      const want = aggregatedRules(role, roles);
      if (!want || rulesEqual(role.rules, want)) continue;
      const name = role.metadata.name ?? '';
      try {
        await store.update('', name, (cur: KubeObject | null) => {
          if (!cur) throw new Error(`clusterrole ${name} vanished`);
          return { ...cur, rules: want };
        });
      } catch (e) {
        failed = true;
        this.o.onError?.(e);
      }
    }
    // A failed write (a conflict, a storage hiccup) is retried a few times, then left to the next change.
    this.failures = failed ? this.failures + 1 : 0;
    if (failed && this.failures <= 5 && !this.stopped) this.retry = setTimeout(() => this.schedule(), 200 * this.failures);
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
  }
}
