/** Priority admission: class → spec.priority/preemptionPolicy, globalDefault, built-ins, upstream refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/types.js';
import { priorityAdmission } from './priority.js';
import type { AdmissionAttributes } from './types.js';

const classes: KubeObject[] = [
  { metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'PreemptLowerPriority' },
  { metadata: { name: 'never' }, value: 500, preemptionPolicy: 'Never' },
];
const plugin = (extra: KubeObject[] = []) => priorityAdmission({ all: async () => [...classes, ...extra] });

function attrs(spec: Record<string, unknown>, op: 'CREATE' | 'UPDATE' = 'CREATE', old?: Record<string, unknown>): AdmissionAttributes {
  return {
    operation: op, group: '', version: 'v1', resource: 'pods', subresource: '', kind: 'Pod', namespace: 'default', name: 'p',
    object: { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [], ...spec } },
    oldObject: old ? { metadata: { name: 'p' }, spec: old } : null, user: { username: 'u', groups: [] }, dryRun: false,
  };
}

const spec = (a: AdmissionAttributes) => a.object?.spec as Record<string, unknown>;

test('class name resolves to priority and preemption policy', async () => {
  const a = attrs({ priorityClassName: 'never' });
  await plugin().mutate?.(a);
  assert.equal(spec(a).priority, 500);
  assert.equal(spec(a).preemptionPolicy, 'Never');
});

test('no class: globalDefault (lowest value wins), else priority 0 with PreemptLowerPriority (getDefaultPriority)', async () => {
  const a = attrs({});
  await plugin().mutate?.(a);
  assert.equal(spec(a).priority, 0);
  assert.equal(spec(a).preemptionPolicy, 'PreemptLowerPriority');
  const b = attrs({});
  await plugin([{ metadata: { name: 'd2' }, value: 20, globalDefault: true }, { metadata: { name: 'd1' }, value: 10, globalDefault: true }]).mutate?.(b);
  assert.equal(spec(b).priorityClassName, 'd1');
  assert.equal(spec(b).priority, 10);
  assert.equal(spec(b).preemptionPolicy, 'PreemptLowerPriority');
});

test('built-in system classes resolve without objects', async () => {
  const a = attrs({ priorityClassName: 'system-node-critical' });
  await plugin().mutate?.(a);
  assert.equal(spec(a).priority, 2000001000);
  const b = attrs({ priorityClassName: 'system-cluster-critical' });
  await plugin().mutate?.(b);
  assert.equal(spec(b).priority, 2000000000);
});

test('unknown class and mismatching priority are Forbidden with upstream wording', async () => {
  await assert.rejects(async () => plugin().mutate?.(attrs({ priorityClassName: 'x' })),
    (e: Error & { code?: number }) => e.message === 'pods "p" is forbidden: no PriorityClass with name x was found');
  await assert.rejects(async () => plugin().mutate?.(attrs({ priorityClassName: 'high', priority: 5 })),
    /pods "p" is forbidden: the integer value of priority \(5\) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name/);
  const ok = attrs({ priorityClassName: 'high', priority: 1000 });
  await plugin().mutate?.(ok);
  assert.equal(spec(ok).priority, 1000);
});

test('update keeps the stored priority; a second globalDefault class is refused', async () => {
  const a = attrs({ priorityClassName: 'high' }, 'UPDATE', { priorityClassName: 'high', priority: 1000, preemptionPolicy: 'PreemptLowerPriority' });
  await plugin().mutate?.(a);
  assert.equal(spec(a).priority, 1000);
  const pc: AdmissionAttributes = { ...attrs({}), group: 'scheduling.k8s.io', resource: 'priorityclasses', kind: 'PriorityClass', namespace: '', name: 'd3',
    object: { metadata: { name: 'd3' }, value: 3, globalDefault: true } };
  await assert.rejects(async () => plugin([{ metadata: { name: 'd1' }, value: 1, globalDefault: true }]).validate?.(pc),
    /priorityclasses.scheduling.k8s.io "d3" is forbidden: PriorityClass d1 is already marked as default. Only one default can exist/);
  await plugin().validate?.(pc);
});
