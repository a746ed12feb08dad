/**
 * apps/v1 printers: deployments, replicasets, statefulsets, daemonsets and controllerrevisions,
 * as the print functions of pkg/printers/internalversion/printers.go (Kubernetes 1.32). Replica
 * counts default to 1 like the v1 defaulting the internal objects went through.
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, CONTAINERS_WIDE, IMAGES_WIDE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import {
  containerCells, formatLabelSelector, formatLabels, groupQualified, labelSelectorString,
  type ContainerLike, type LabelSelectorLike,
} from './format.js';

interface WorkloadLike extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelectorLike;
    template?: { spec?: { containers?: ContainerLike[]; nodeSelector?: Record<string, string> } };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    desiredNumberScheduled?: number;
    currentNumberScheduled?: number;
    numberReady?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

const READY_RATIO = col('Ready', 'string', 'Number of the pod with ready state');

export const deploymentPrinter: TablePrinter = {
  columns: columns(
    NAME,
    READY_RATIO,
    docCol('Up-to-date', 'string', 'extensions/v1beta1 DeploymentStatus.updatedReplicas'),
    docCol('Available', 'string', 'extensions/v1beta1 DeploymentStatus.availableReplicas'),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    docCol('Selector', 'string', 'extensions/v1beta1 DeploymentSpec.selector', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const d = obj as WorkloadLike;
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    // selector.String() (not FormatLabelSelector): "" for a nil selector, `<invalid>` on error.
    const selector = labelSelectorString(d.spec?.selector) ?? '<invalid>';
    return [
      nameOf(d), `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, d.status?.updatedReplicas ?? 0,
      d.status?.availableReplicas ?? 0, ageOf(d, ctx), names, images, selector,
    ];
  },
};

export const replicaSetPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Desired', 'integer', 'extensions/v1beta1 ReplicaSetSpec.replicas'),
    docCol('Current', 'integer', 'extensions/v1beta1 ReplicaSetStatus.replicas'),
    docCol('Ready', 'integer', 'extensions/v1beta1 ReplicaSetStatus.readyReplicas'),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    docCol('Selector', 'string', 'extensions/v1beta1 ReplicaSetSpec.selector', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const rs = obj as WorkloadLike;
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      nameOf(rs), rs.spec?.replicas ?? 1, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, ageOf(rs, ctx),
      names, images, formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const statefulSetPrinter: TablePrinter = {
  columns: columns(NAME, READY_RATIO, AGE, CONTAINERS_WIDE, IMAGES_WIDE),
  cells(obj, ctx) {
    const ss = obj as WorkloadLike;
    const [names, images] = containerCells(ss.spec?.template?.spec?.containers);
    return [nameOf(ss), `${ss.status?.readyReplicas ?? 0}/${ss.spec?.replicas ?? 1}`, ageOf(ss, ctx), names, images];
  },
};

export const daemonSetPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Desired', 'integer', 'extensions/v1beta1 DaemonSetStatus.desiredNumberScheduled'),
    docCol('Current', 'integer', 'extensions/v1beta1 DaemonSetStatus.currentNumberScheduled'),
    docCol('Ready', 'integer', 'extensions/v1beta1 DaemonSetStatus.numberReady'),
    docCol('Up-to-date', 'integer', 'extensions/v1beta1 DaemonSetStatus.updatedNumberScheduled'),
    docCol('Available', 'integer', 'extensions/v1beta1 DaemonSetStatus.numberAvailable'),
    docCol('Node Selector', 'string', 'core/v1 PodSpec.nodeSelector'),
    AGE,
    CONTAINERS_WIDE,
    IMAGES_WIDE,
    docCol('Selector', 'string', 'extensions/v1beta1 DaemonSetSpec.selector', { priority: 1 }),
  ),
  cells(obj, ctx) {
    const ds = obj as WorkloadLike;
    const st = ds.status ?? {};
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      nameOf(ds), st.desiredNumberScheduled ?? 0, st.currentNumberScheduled ?? 0, st.numberReady ?? 0,
      st.updatedNumberScheduled ?? 0, st.numberAvailable ?? 0, formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(ds, ctx), names, images, formatLabelSelector(ds.spec?.selector),
    ];
  },
};

export const controllerRevisionPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Controller', 'string', 'Controller of the object'),
    docCol('Revision', 'string', 'apps/v1beta1 ControllerRevision.revision'),
    AGE,
  ),
  cells(obj, ctx) {
    // metav1.GetControllerOf, then formatResourceName(groupKind, name, withKind): "daemonset.apps/x".
    let controller = '<none>';
    for (const ref of obj.metadata.ownerReferences ?? []) {
      if (ref.controller === true) {
        const slash = ref.apiVersion.indexOf('/');
        const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
        const gk = ref.kind === '' && group === '' ? '' : groupQualified(ref.kind, group);
        controller = gk === '' ? ref.name : gk.toLowerCase() + '/' + ref.name;
        break;
      }
    }
    const revision = typeof obj.revision === 'number' ? obj.revision : 0;
    return [nameOf(obj), controller, revision, ageOf(obj, ctx)];
  },
};
