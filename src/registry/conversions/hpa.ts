/**
 * autoscaling/v1 ⇄ autoscaling/v2 HorizontalPodAutoscaler (pkg/apis/autoscaling/v1/conversion.go):
 * v1 has one CPU-utilization target; everything else v2 can say travels in the
 * `autoscaling.alpha.kubernetes.io/*` annotations, as upstream does, so a round trip loses nothing.
 * Storage is autoscaling/v2.
 */
import type { KubeObject } from '../../api/types.js';
import type { Converter } from '../conversion.js';

type Obj = Record<string, unknown>;
const A_METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const A_CURRENT = 'autoscaling.alpha.kubernetes.io/current-metrics';
const A_CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const A_BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

const isCpuUtil = (m: Obj): boolean => {
  const r = m.resource as Obj | undefined;
  const t = r?.target as Obj | undefined;
  return m.type === 'Resource' && r?.name === 'cpu' && t?.type === 'Utilization';
};

function v2ToV1(obj: KubeObject, apiVersion: string): KubeObject {
  const spec = { ...((obj.spec ?? {}) as Obj) };
  const status = { ...((obj.status ?? {}) as Obj) };
  const ann: Record<string, string> = { ...(obj.metadata.annotations ?? {}) };
  const metrics = (spec.metrics as Obj[] | undefined) ?? [];
  const cpu = metrics.find(isCpuUtil);
  const rest = metrics.filter((m) => m !== cpu);
  delete spec.metrics;
  if (cpu) spec.targetCPUUtilizationPercentage = ((cpu.resource as Obj).target as Obj).averageUtilization;
  if (rest.length) ann[A_METRICS] = JSON.stringify(rest);
  if (spec.behavior) { ann[A_BEHAVIOR] = JSON.stringify(spec.behavior); delete spec.behavior; }
  const current = (status.currentMetrics as Obj[] | undefined) ?? [];
  const curCpu = current.find((m) => m.type === 'Resource' && (m.resource as Obj)?.name === 'cpu');
  const curRest = current.filter((m) => m !== curCpu);
  delete status.currentMetrics;
  const util = ((curCpu?.resource as Obj | undefined)?.current as Obj | undefined)?.averageUtilization;
  if (util !== undefined) status.currentCPUUtilizationPercentage = util;
  if (curRest.length) ann[A_CURRENT] = JSON.stringify(curRest);
  if (status.conditions) { ann[A_CONDITIONS] = JSON.stringify(status.conditions); delete status.conditions; }
  const meta = { ...obj.metadata };
  if (Object.keys(ann).length) meta.annotations = ann;
  const out: KubeObject = { ...obj, apiVersion, metadata: meta, spec };
  if (obj.status !== undefined) out.status = status;
  return out;
}

function parseAnn(ann: Record<string, string>, key: string): unknown {
  const v = ann[key];
  delete ann[key];
  if (v === undefined) return undefined;
  try { return JSON.parse(v); } catch { return undefined; }
}

function v1ToV2(obj: KubeObject, apiVersion: string): KubeObject {
  const spec = { ...((obj.spec ?? {}) as Obj) };
  const status = { ...((obj.status ?? {}) as Obj) };
  const ann: Record<string, string> = { ...(obj.metadata.annotations ?? {}) };
  const metrics: Obj[] = [];
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  delete spec.targetCPUUtilizationPercentage;
  const extra = parseAnn(ann, A_METRICS);
  if (Array.isArray(extra)) metrics.push(...(extra as Obj[]));
  if (metrics.length) spec.metrics = metrics;
  const behavior = parseAnn(ann, A_BEHAVIOR);
  if (behavior) spec.behavior = behavior;
  const current: Obj[] = [];
  if (typeof status.currentCPUUtilizationPercentage === 'number') {
    current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } });
  }
  delete status.currentCPUUtilizationPercentage;
  const curExtra = parseAnn(ann, A_CURRENT);
  if (Array.isArray(curExtra)) current.push(...(curExtra as Obj[]));
  if (current.length) status.currentMetrics = current;
  const conditions = parseAnn(ann, A_CONDITIONS);
  if (conditions) status.conditions = conditions;
  const meta = { ...obj.metadata };
  if (Object.keys(ann).length) meta.annotations = ann; else delete meta.annotations;
  const out: KubeObject = { ...obj, apiVersion, metadata: meta, spec };
  if (obj.status !== undefined) out.status = status;
  return out;
}

export const hpaConverter: Converter = {
  toServed: (obj, apiVersion) => (obj.apiVersion === apiVersion ? obj : apiVersion === 'autoscaling/v1' ? v2ToV1(obj, apiVersion) : { ...obj, apiVersion }),
  toStorage: (obj, apiVersion) => (obj.apiVersion === 'autoscaling/v1' ? v1ToV2(obj, apiVersion) : Object.assign(obj, { apiVersion })),
};
