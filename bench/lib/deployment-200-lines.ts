/**
 * A realistic Deployment manifest of about 200 YAML lines (what issue 3's "200-container-line
 * Deployment" most plausibly means: a 200-line manifest, as Helm charts render them): an app
 * container and an envoy sidecar with env, ports, probes, resources, volume mounts and security
 * contexts, plus volumes, affinity, tolerations and topology spread. The SSA and strategic-merge
 * benches run it beside the 200-container Deployment (the literal reading).
 */
import type { KubeObject } from '../../src/api/types.js';

function probe(path: string, port: string): Record<string, unknown> {
  return { httpGet: { path, port, scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 2, successThreshold: 1, failureThreshold: 3 };
}

function container(name: string, image: string, port: number, env: number): Record<string, unknown> {
  return {
    name, image, imagePullPolicy: 'IfNotPresent',
    args: ['--listen', `:${port}`, '--log-level', 'info'],
    env: Array.from({ length: env }, (_, i) => ({ name: `${name.toUpperCase().replace(/-/g, '_')}_VAR_${i}`, value: `value-${i}` })),
    ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }, { name: 'metrics', containerPort: port + 1000, protocol: 'TCP' }],
    readinessProbe: probe('/ready', 'http'),
    livenessProbe: probe('/healthz', 'http'),
    resources: { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
    volumeMounts: [{ name: 'config', mountPath: `/etc/${name}`, readOnly: true }, { name: 'tmp', mountPath: '/tmp' }],
    securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
  };
}

/** `image` replaces the app container's image (the "one change" case). */
export function deployment200Lines(image = 'registry.example.com/shop/api:1.4.2'): KubeObject {
  const labels = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop', 'app.kubernetes.io/version': '1.4.2' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'shop-api', namespace: 'default', labels: { ...labels, 'app.kubernetes.io/managed-by': 'Helm' }, annotations: { 'meta.helm.sh/release-name': 'shop' } },
    spec: {
      replicas: 3, revisionHistoryLimit: 5,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'shop' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9080' } },
        spec: {
          serviceAccountName: 'shop-api',
          securityContext: { fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [container('api', image, 8080, 8), container('envoy', 'envoyproxy/envoy:v1.30.1', 9901, 3)],
          volumes: [{ name: 'config', configMap: { name: 'shop-api' } }, { name: 'tmp', emptyDir: {} }],
          affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } } }] } },
          topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }],
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'shop', effect: 'NoSchedule' }],
        },
      },
    },
  };
}
