// Simulated probes through the real kubectl: a pod whose liveness probe fails (keks.dev/liveness:
// fail) is killed and restarted (restartCount climbs, Unhealthy + Killing events as the kubelet
// words them); a pod whose readiness probe fails runs but stays unready and out of its Service's
// ready endpoints; a startup probe holds `started` until it passes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestKeks, type TestKeks } from '../../src/testing/harness.js';
import { eventually } from '../helpers/api.js';
import { Kubectl, kubectlSkip } from '../helpers/kubectl.js';

const MANIFEST = `
apiVersion: v1
kind: Pod
metadata: {name: live, annotations: {keks.dev/liveness: fail}}
spec:
  containers:
  - name: app
    image: nginx
    livenessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Pod
metadata: {name: unready, labels: {app: unready}, annotations: {keks.dev/readiness: fail}}
spec:
  containers:
  - name: app
    image: nginx
    ports: [{containerPort: 80}]
    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: unready}
spec:
  selector: {app: unready}
  ports: [{port: 80}]
`;

const SLOW = `
apiVersion: v1
kind: Pod
metadata: {name: slow}
spec:
  containers:
  - name: app
    image: nginx
    startupProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 3, periodSeconds: 1}
`;

describe('simulated probes with kubectl', { skip: kubectlSkip }, () => {
  let tk: TestKeks;
  let k: Kubectl;
  before(async () => {
    tk = await startTestKeks({ store: 'memory', nodes: 1 });
    k = new Kubectl(tk.kubeconfig);
    await k.ok(['apply', '-f', '-'], { input: MANIFEST });
  });
  after(async () => { await tk?.stop(); });

  it('liveness failure: killed and restarted, with the kubelet\'s events', async () => {
    const restarts = await eventually(async () => {
      const n = Number(await k.ok(['get', 'pod', 'live', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']));
      return n >= 1 ? n : undefined;
    }, 'a restart', 20_000, 200);
    assert.ok(restarts >= 1);
    const events = await eventually(async () => {
      const out = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=live', '-o', 'jsonpath={range .items[*]}{.reason}|{.message}{"\\n"}{end}']);
      return out.includes('Killing|') ? out : undefined;
    }, 'events', 10_000, 200);
    assert.match(events, /^Unhealthy\|Liveness probe failed: HTTP probe failed with statuscode: 500$/m);
    assert.match(events, /^Killing\|Container app failed liveness probe, will be restarted$/m);
    const last = await k.ok(['get', 'pod', 'live', '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}']);
    assert.equal(last, '137');
  });

  it('readiness failure: Running but never Ready, listed under notReadyAddresses', async () => {
    await eventually(async () => (await k.ok(['get', 'pod', 'unready', '-o', 'jsonpath={.status.phase}'])) === 'Running', 'Running', 10_000, 100);
    const ep = await eventually(async () => {
      const e = JSON.parse(await k.ok(['get', 'endpoints', 'unready', '-o', 'json'])) as { subsets?: Array<{ addresses?: unknown[]; notReadyAddresses?: unknown[] }> };
      return e.subsets?.[0]?.notReadyAddresses?.length === 1 ? e : undefined;
    }, 'not-ready endpoint', 10_000, 100);
    assert.equal(ep.subsets?.[0]?.addresses, undefined);
    assert.equal(await k.ok(['get', 'pod', 'unready', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']), 'False');
    const events = await eventually(async () => {
      const out = await k.ok(['get', 'events', '--field-selector', 'involvedObject.name=unready,reason=Unhealthy', '-o', 'jsonpath={.items[*].message}']);
      return out || undefined;
    }, 'Unhealthy event', 10_000, 200);
    assert.match(events, /^Readiness probe failed: dial tcp [\d.]+:80: connect: connection refused/);
  });

  it('a startup probe: started and Ready only once it passes', async () => {
    await k.ok(['apply', '-f', '-'], { input: SLOW });
    const first = await eventually(async () => {
      const out = await k.ok(['get', 'pod', 'slow', '-o', 'jsonpath={.status.phase} {.status.containerStatuses[0].started} {.status.containerStatuses[0].ready}']);
      return out.startsWith('Running') ? out : undefined;
    }, 'Running', 10_000, 50);
    assert.equal(first, 'Running false false');
    await eventually(async () => (await k.ok(['get', 'pod', 'slow', '-o', 'jsonpath={.status.containerStatuses[0].started} {.status.containerStatuses[0].ready}'])) === 'true true', 'started', 10_000, 100);
  });
});
