/**
 * Pods nominated to nodes by preemption (the scheduling queue's nominator in
 * pkg/scheduler/backend/queue): a pending pod with status.nominatedNodeName, or one the
 * scheduler just nominated before its status patch came back. Filters count these pods on their
 * node for pods of lower or equal priority, so the room preemption made stays for its preemptor.
 */
import type { NodeInfo, PodInfo } from './node-info.js';
import type { Nominations } from './schedule-one.js';

export class Nominator implements Nominations {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  get size(): number {
    return this.nodeOf.size;
  }

  on(node: string): Iterable<PodInfo> | undefined {
    return this.byNode.get(node)?.values();
  }

  nodeFor(key: string): string | undefined {
    return this.nodeOf.get(key);
  }

  set(pi: PodInfo, node: string): void {
    this.remove(pi.key);
    let m = this.byNode.get(node);
    if (!m) this.byNode.set(node, (m = new Map()));
    m.set(pi.key, pi);
    this.nodeOf.set(pi.key, node);
  }

  remove(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const m = this.byNode.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.byNode.delete(node);
  }

  /** Nominated pods on the node with lower priority than `priority` (their nomination is void once it is preempted for). */
  lowerPriority(node: NodeInfo, priority: number): PodInfo[] {
    return [...(this.byNode.get(node.name)?.values() ?? [])].filter((pi) => pi.priority < priority);
  }
}
