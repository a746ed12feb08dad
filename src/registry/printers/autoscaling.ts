/**
 * autoscaling horizontalpodautoscalers: NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE, as
 * printHorizontalPodAutoscaler / formatHPAMetrics in pkg/printers/internalversion/printers.go
 * (Kubernetes 1.32). Objects in autoscaling/v1 shape are read through the v1 → internal
 * conversion (targetCPUUtilizationPercentage → a cpu Utilization metric); an HPA without metrics
 * gets the defaulted `cpu` 80% target (v2 defaulting, v1 conversion).
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, columns, docCol, nameOf } from './columns.js';
import { quantityPtr } from './format.js';

interface TargetLike { type?: string; value?: unknown; averageValue?: unknown; averageUtilization?: number }
interface CurrentLike { value?: unknown; averageValue?: unknown; averageUtilization?: number }
interface MetricSpecLike {
  type?: string;
  resource?: { name?: string; target?: TargetLike };
  containerResource?: { name?: string; container?: string; target?: TargetLike };
  pods?: { target?: TargetLike };
  object?: { target?: TargetLike };
  external?: { target?: TargetLike };
}
interface MetricStatusLike {
  type?: string;
  resource?: { name?: string; current?: CurrentLike };
  containerResource?: { name?: string; current?: CurrentLike };
  pods?: { current?: CurrentLike };
  object?: { current?: CurrentLike };
  external?: { current?: CurrentLike };
}

interface HpaLike extends KubeObject {
  spec?: {
    scaleTargetRef?: { kind?: string; name?: string };
    minReplicas?: number | null;
    maxReplicas?: number;
    metrics?: MetricSpecLike[];
    targetCPUUtilizationPercentage?: number | null;
  };
  status?: {
    currentReplicas?: number;
    currentMetrics?: MetricStatusLike[] | null;
    currentCPUUtilizationPercentage?: number | null;
  };
}

/** autoscaling.DefaultCPUUtilization. */
const DEFAULT_CPU_UTILIZATION = 80;

function isV1(hpa: HpaLike): boolean {
  if (typeof hpa.apiVersion === 'string') return hpa.apiVersion === 'autoscaling/v1';
  return hpa.spec?.metrics === undefined && hpa.status?.currentMetrics === undefined;
}

/** Spec metrics and status metrics as the internal (v2-shaped) object has them. */
function internalMetrics(hpa: HpaLike): [MetricSpecLike[], MetricStatusLike[]] {
  let specs: MetricSpecLike[];
  let statuses: MetricStatusLike[];
  if (isV1(hpa)) {
    const target = hpa.spec?.targetCPUUtilizationPercentage;
    specs = typeof target === 'number'
      ? [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }]
      : [];
    const current = hpa.status?.currentCPUUtilizationPercentage;
    statuses = typeof current === 'number'
      ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }]
      : [];
  } else {
    specs = hpa.spec?.metrics ?? [];
    statuses = hpa.status?.currentMetrics ?? [];
  }
  if (specs.length === 0) {
    specs = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  return [specs, statuses];
}

function utilization(v: number | undefined, fallback: string): string {
  return typeof v === 'number' ? `${v}%` : fallback;
}

/** One entry of formatHPAMetrics. */
function formatMetric(spec: MetricSpecLike, status: MetricStatusLike | undefined): string {
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const key = spec.type === 'External' ? 'external' : 'object';
      const target = spec[key]?.target ?? {};
      const cur = status?.[key];
      if (target.averageValue !== undefined && target.averageValue !== null) {
        const current = cur && cur.current?.averageValue != null ? quantityPtr(cur.current.averageValue) : '<unknown>';
        return `${current}/${quantityPtr(target.averageValue)} (avg)`;
      }
      const current = cur ? quantityPtr(cur.current?.value) : '<unknown>';
      return `${current}/${quantityPtr(target.value)}`;
    }
    case 'Pods': {
      const current = status?.pods ? quantityPtr(status.pods.current?.averageValue) : '<unknown>';
      return `${current}/${quantityPtr(spec.pods?.target?.averageValue)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      const target = src?.target ?? {};
      const name = src?.name ?? '';
      if (target.averageValue !== undefined && target.averageValue !== null) {
        const current = cur ? quantityPtr(cur.current?.averageValue) : '<unknown>';
        return `${name}: ${current}/${quantityPtr(target.averageValue)}`;
      }
      const current = cur ? utilization(cur.current?.averageUtilization, '<unknown>') : '<unknown>';
      return `${name}: ${current}/${utilization(target.averageUtilization, '<auto>')}`;
    }
  }
  return '<unknown type>';
}

/** printers.go formatHPAMetrics: at most 2 entries, then ` + N more...`. */
export function formatHPAMetrics(specs: MetricSpecLike[], statuses: MetricStatusLike[]): string {
  if (specs.length === 0) return '<none>';
  const max = 2;
  const list: string[] = [];
  for (let i = 0; i < specs.length && i < max; i++) list.push(formatMetric(specs[i], statuses[i]));
  const ret = list.join(', ');
  return specs.length > max ? `${ret} + ${specs.length - max} more...` : ret;
}

export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Reference', 'string', 'autoscaling/v2beta1 HorizontalPodAutoscalerSpec.scaleTargetRef'),
    docCol('Targets', 'string', 'autoscaling/v2beta1 HorizontalPodAutoscalerSpec.metrics'),
    docCol('MinPods', 'string', 'autoscaling/v2beta1 HorizontalPodAutoscalerSpec.minReplicas'),
    docCol('MaxPods', 'string', 'autoscaling/v2beta1 HorizontalPodAutoscalerSpec.maxReplicas'),
    docCol('Replicas', 'string', 'autoscaling/v2beta1 HorizontalPodAutoscalerStatus.currentReplicas'),
    AGE,
  ),
  cells(obj, ctx) {
    const hpa = obj as HpaLike;
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const [specs, statuses] = internalMetrics(hpa);
    const min = hpa.spec?.minReplicas;
    return [
      nameOf(hpa), `${ref.kind ?? ''}/${ref.name ?? ''}`, formatHPAMetrics(specs, statuses),
      typeof min === 'number' ? String(min) : '<unset>', hpa.spec?.maxReplicas ?? 0, hpa.status?.currentReplicas ?? 0,
      ageOf(hpa, ctx),
    ];
  },
};
