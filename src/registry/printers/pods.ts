/**
 * core/v1 pods: NAME READY STATUS RESTARTS AGE (wide: IP NODE NOMINATED NODE READINESS GATES),
 * with the status logic of printPod in pkg/printers/internalversion/printers.go (Kubernetes 1.32):
 * pod reason, SchedulingGated, init container progress (`Init:0/1`, `Init:CrashLoopBackOff`,
 * sidecars counted as containers), the last container state, `Completed` back to `Running` while
 * a container still runs, `Terminating` / `Unknown` (NodeLost) on deletion, and restarts with the
 * time since the last one (`2 (5m ago)`).
 */
import type { KubeObject } from '../../api/types.js';
import type { TableCell, TablePrinter, TableRowCondition } from './types.js';
import { AGE, NAME, col, columns, docCol, nameOf, ageOf } from './columns.js';
import { humanDuration, parseTime, type ContainerLike } from './format.js';

interface TerminatedLike { reason?: string; exitCode?: number; signal?: number; finishedAt?: string }
interface ContainerStateLike {
  waiting?: { reason?: string };
  running?: { startedAt?: string };
  terminated?: TerminatedLike;
}
interface ContainerStatusLike {
  name?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerStateLike;
  lastState?: ContainerStateLike;
}
interface PodConditionLike { type?: string; status?: string; reason?: string }
interface PodLike extends KubeObject {
  spec?: {
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
    nodeName?: string;
    readinessGates?: Array<{ conditionType?: string }>;
  };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: PodConditionLike[];
    initContainerStatuses?: ContainerStatusLike[];
    containerStatuses?: ContainerStatusLike[];
    podIP?: string;
    podIPs?: Array<{ ip?: string }>;
    nominatedNodeName?: string;
  };
}

/** k8s.io/kubernetes/pkg/util/node.NodeUnreachablePodReason. */
const NODE_UNREACHABLE_POD_REASON = 'NodeLost';

const POD_SUCCESS_CONDITIONS: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
];
const POD_FAILED_CONDITIONS: TableRowCondition[] = [
  { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
];

const POD_COLUMNS = columns(
  NAME,
  col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'string', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  AGE,
  docCol('IP', 'string', 'core/v1 PodStatus.podIP', { priority: 1 }),
  docCol('Node', 'string', 'core/v1 PodSpec.nodeName', { priority: 1 }),
  docCol('Nominated Node', 'string', 'core/v1 PodStatus.nominatedNodeName', { priority: 1 }),
  docCol('Readiness Gates', 'string', 'core/v1 PodSpec.readinessGates', { priority: 1 }),
);

/** Later of a running maximum (undefined = Go's zero time) and a container's last finishedAt. */
function laterRestart(current: number | undefined, status: ContainerStatusLike): number | undefined {
  const term = status.lastState?.terminated;
  if (!term) return current;
  const t = parseTime(term.finishedAt);
  if (t === undefined) return current;
  return current === undefined || current < t ? t : current;
}

/** podutil.IsRestartableInitContainer(initContainers[name]): restartPolicy Always (a sidecar). */
function isRestartableInit(initSpecs: ContainerLike[], name: string | undefined): boolean {
  for (const c of initSpecs) if (c.name === name) return c.restartPolicy === 'Always';
  return false;
}

function conditionTrue(conditions: PodConditionLike[] | undefined, type: string): boolean {
  if (!conditions) return false;
  for (const c of conditions) if (c.type === type) return c.status === 'True';
  return false;
}

function hasPodReadyCondition(conditions: PodConditionLike[] | undefined): boolean {
  if (!conditions) return false;
  for (const c of conditions) if (c.type === 'Ready' && c.status === 'True') return true;
  return false;
}

function podCells(obj: KubeObject, ctx: { now: Date }): TableCell[] {
  const pod = obj as PodLike;
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initSpecs = spec.initContainers ?? [];
  let restarts = 0;
  let restartableInitRestarts = 0;
  let totalContainers = spec.containers?.length ?? 0;
  let readyContainers = 0;
  let lastRestart: number | undefined;
  let lastRestartableInitRestart: number | undefined;

  const phase = status.phase ?? '';
  let reason = status.reason ? status.reason : phase;
  if (status.conditions) {
    for (const c of status.conditions) {
      if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
    }
  }

  for (const c of initSpecs) if (c.restartPolicy === 'Always') totalContainers++;

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const count = cs.restartCount ?? 0;
    restarts += count;
    lastRestart = laterRestart(lastRestart, cs);
    const isSidecar = isRestartableInit(initSpecs, cs.name);
    if (isSidecar) {
      restartableInitRestarts += count;
      lastRestartableInitRestart = laterRestart(lastRestartableInitRestart, cs);
    }
    const term = cs.state?.terminated;
    const waiting = cs.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (isSidecar && cs.started === true) {
      if (cs.ready) readyContainers++;
      continue;
    }
    if (term) {
      // initialization failed
      if (!term.reason) {
        reason = term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
      } else {
        reason = 'Init:' + term.reason;
      }
    } else if (waiting && waiting.reason && waiting.reason !== 'PodInitializing') {
      reason = 'Init:' + waiting.reason;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status.conditions, 'Initialized')) {
    restarts = restartableInitRestarts;
    lastRestart = lastRestartableInitRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      restarts += cs.restartCount ?? 0;
      lastRestart = laterRestart(lastRestart, cs);
      const st = cs.state;
      if (st?.waiting && st.waiting.reason) {
        reason = st.waiting.reason;
      } else if (st?.terminated && st.terminated.reason) {
        reason = st.terminated.reason;
      } else if (st?.terminated) {
        reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode ?? 0}`;
      } else if (cs.ready && st?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // change pod status back to "Running" if there is at least one container still reporting as "Running" status
    if (reason === 'Completed' && hasRunning) {
      reason = hasPodReadyCondition(status.conditions) ? 'Running' : 'NotReady';
    }
  }

  if (pod.metadata.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) {
    reason = 'Unknown';
  } else if (pod.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') {
    reason = 'Terminating';
  }

  let restartsStr = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsStr = `${restarts} (${humanDuration(ctx.now.getTime() - lastRestart)} ago)`;
  }

  // PodIPs[0] after v1 → internal conversion (Convert_v1_PodStatus_To_core_PodStatus): podIP is
  // authoritative when set, otherwise the first podIPs entry.
  let podIP = status.podIP || (status.podIPs && status.podIPs.length > 0 ? status.podIPs[0].ip ?? '' : '');
  if (podIP === '') podIP = '<none>';
  const nodeName = spec.nodeName || '<none>';
  const nominated = status.nominatedNodeName || '<none>';
  let readinessGates = '<none>';
  const gates = spec.readinessGates;
  if (gates && gates.length > 0) {
    let trueConditions = 0;
    for (const gate of gates) {
      for (const c of status.conditions ?? []) {
        if (c.type === gate.conditionType) {
          if (c.status === 'True') trueConditions++;
          break;
        }
      }
    }
    readinessGates = `${trueConditions}/${gates.length}`;
  }

  return [
    nameOf(pod), `${readyContainers}/${totalContainers}`, reason, restartsStr, ageOf(pod, ctx),
    podIP, nodeName, nominated, readinessGates,
  ];
}

export const podPrinter: TablePrinter = {
  columns: POD_COLUMNS,
  cells: podCells,
  conditions(obj) {
    const phase = (obj as PodLike).status?.phase;
    if (phase === 'Succeeded') return POD_SUCCESS_CONDITIONS;
    if (phase === 'Failed') return POD_FAILED_CONDITIONS;
    return undefined;
  },
};
