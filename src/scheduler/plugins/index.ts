/**
 * The default profile's plugins in kube-scheduler 1.32's order (pkg/scheduler/apis/config/v1
 * default_plugins.go): filters NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
 * NodePorts, NodeResourcesFit, PodTopologySpread, InterPodAffinity; scores with their default
 * weights. ImageLocality, volume plugins and DRA are not simulated (yet).
 */
import type { Plugin } from '../framework.js';
import { interPodAffinityPlugin } from './inter-pod-affinity.js';
import { nodeAffinityPlugin } from './node-affinity.js';
import { nodeNamePlugin, nodePortsPlugin } from './node-basics.js';
import { balancedAllocationPlugin, nodeResourcesFitPlugin } from './node-resources.js';
import { nodeUnschedulablePlugin, taintTolerationPlugin } from './taint-toleration.js';
import { topologySpreadPlugin } from './topology-spread.js';

export const DEFAULT_PLUGINS: readonly Plugin[] = [
  nodeUnschedulablePlugin, nodeNamePlugin, taintTolerationPlugin, nodeAffinityPlugin, nodePortsPlugin,
  nodeResourcesFitPlugin, topologySpreadPlugin, interPodAffinityPlugin, balancedAllocationPlugin,
];
