/**
 * NodeName and NodePorts (pkg/scheduler/framework/plugins/nodename, nodeports).
 */
import { unresolvable, unschedulable, type Plugin } from '../framework.js';

export const nodeNamePlugin: Plugin = {
  name: 'NodeName',
  filter(s, node) {
    const want = (s.pod.spec as { nodeName?: string } | undefined)?.nodeName;
    return want && want !== node.name ? unresolvable("node(s) didn't match the requested node name") : undefined;
  },
};

/** A wanted port conflicts with a used one on the same protocol and port when either host IP is 0.0.0.0 or both are equal. */
function conflicts(want: string, used: ReadonlyMap<string, number>): boolean {
  const [proto, ip, port] = want.split('/');
  if (used.has(want)) return true;
  if (ip === '0.0.0.0') {
    for (const u of used.keys()) { const [p, , n] = u.split('/'); if (p === proto && n === port) return true; }
    return false;
  }
  return used.has(`${proto}/0.0.0.0/${port}`);
}

export const nodePortsPlugin: Plugin = {
  name: 'NodePorts',
  filter(s, node) {
    if (s.podInfo.ports.length === 0 || node.usedPorts.size === 0) return undefined;
    return s.podInfo.ports.some((p) => conflicts(p, node.usedPorts)) ? unschedulable("node(s) didn't have free ports for the requested pod ports") : undefined;
  },
};
