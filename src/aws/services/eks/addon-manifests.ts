/**
 * The Kubernetes objects each managed add-on puts in kube-system, shaped as on an EKS cluster
 * (object names, selectors and labels as `kubectl get -n kube-system -o yaml` shows them there):
 * vpc-cni → DaemonSet/ServiceAccount aws-node + ConfigMap amazon-vpc-cni; coredns → Deployment
 * coredns (2 replicas, k8s-app=kube-dns) + Service kube-dns (service CIDR .10) + ConfigMap
 * coredns; kube-proxy → DaemonSet kube-proxy + ConfigMaps; aws-ebs-csi-driver → Deployment
 * ebs-csi-controller + DaemonSet ebs-csi-node + CSIDriver ebs.csi.aws.com; eks-pod-identity-agent
 * and metrics-server likewise. Every object carries `app.kubernetes.io/managed-by: EKS` and the
 * add-on's name/version annotations, so DeleteAddon finds what it owns.
 */
import type { KubeObject } from '../../../api/types.js';
import type { ResourceRef } from '../../../client/client.js';

export const REFS = {
  serviceaccounts: { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true },
  configmaps: { group: '', version: 'v1', resource: 'configmaps', namespaced: true },
  services: { group: '', version: 'v1', resource: 'services', namespaced: true },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  daemonsets: { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true },
  csidrivers: { group: 'storage.k8s.io', version: 'v1', resource: 'csidrivers', namespaced: false },
} as const satisfies Record<string, ResourceRef>;

export interface ManifestObject { ref: ResourceRef; obj: KubeObject }

export interface ManifestInput {
  addonName: string;
  addonVersion: string;
  region: string;
  clusterName: string;
  serviceIpv4Cidr: string;
  serviceAccountRoleArn?: string;
  /** Parsed configurationValues (an object; {} when none). */
  config: Record<string, unknown>;
}

const NS = 'kube-system';
const ecr = (region: string): string => `602401143452.dkr.ecr.${region}.amazonaws.com`;
const bare = (v: string): string => v.replace(/-eksbuild\.\d+$/, '');

/** The n-th address of an IPv4 CIDR (kube-dns is .10 of the service CIDR). */
export function nthAddress(cidr: string, n: number): string {
  const [ip, bits] = cidr.split('/');
  const base = ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const mask = Number(bits) === 0 ? 0 : (0xffffffff << (32 - Number(bits))) >>> 0;
  const v = ((base & mask) >>> 0) + n;
  return [24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.');
}

function meta(i: ManifestInput, name: string, labels: Record<string, string>, namespaced = true): KubeObject['metadata'] {
  return {
    name, ...(namespaced ? { namespace: NS } : {}),
    labels: { ...labels, 'app.kubernetes.io/managed-by': 'EKS' },
    annotations: { 'eks.amazonaws.com/addon-name': i.addonName, 'eks.amazonaws.com/addon-version': i.addonVersion },
  };
}

function sa(i: ManifestInput, name: string, labels: Record<string, string>, withRole: boolean): ManifestObject {
  const m = meta(i, name, labels);
  if (withRole && i.serviceAccountRoleArn) m.annotations = { ...m.annotations, 'eks.amazonaws.com/role-arn': i.serviceAccountRoleArn };
  return { ref: REFS.serviceaccounts, obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: m } };
}

/** Node agents: tolerate every taint, but never run on Fargate/hybrid/auto nodes (EKS's aws-node and kube-proxy affinity). */
const criticalNode = {
  priorityClassName: 'system-node-critical', tolerations: [{ operator: 'Exists' }],
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [
    { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
    { key: 'eks.amazonaws.com/compute-type', operator: 'NotIn', values: ['fargate', 'hybrid', 'auto'] },
  ] }] } } },
};

function daemonSet(i: ManifestInput, name: string, labels: Record<string, string>, selector: Record<string, string>, podSpec: Record<string, unknown>): ManifestObject {
  return { ref: REFS.daemonsets, obj: {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta(i, name, labels),
    spec: {
      selector: { matchLabels: selector },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: { metadata: { labels: { ...selector, ...labels } }, spec: podSpec },
    },
  } };
}

function deployment(i: ManifestInput, name: string, labels: Record<string, string>, selector: Record<string, string>, replicas: number, podSpec: Record<string, unknown>): ManifestObject {
  return { ref: REFS.deployments, obj: {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(i, name, labels),
    spec: {
      replicas, selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '25%' } },
      template: { metadata: { labels: { ...selector, ...labels } }, spec: podSpec },
    },
  } };
}

const replicasOf = (i: ManifestInput, d: number): number => (typeof i.config.replicaCount === 'number' && i.config.replicaCount >= 0 ? i.config.replicaCount : d);
const envOf = (i: ManifestInput, base: Record<string, string>): Array<{ name: string; value: string }> => {
  const extra = (i.config.env && typeof i.config.env === 'object' ? i.config.env : {}) as Record<string, unknown>;
  return Object.entries({ ...base, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) }).map(([name, value]) => ({ name, value }));
};

function vpcCni(i: ManifestInput): ManifestObject[] {
  const labels = { 'app.kubernetes.io/name': 'aws-node', 'app.kubernetes.io/instance': 'aws-vpc-cni', 'app.kubernetes.io/version': bare(i.addonVersion), 'k8s-app': 'aws-node' };
  return [
    sa(i, 'aws-node', labels, true),
    { ref: REFS.configmaps, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(i, 'amazon-vpc-cni', labels), data: {
      'enable-network-policy-controller': 'false', 'enable-windows-ipam': 'false', 'enable-windows-prefix-delegation': 'false',
      'minimum-ip-target': '3', 'warm-ip-target': '1', 'warm-prefix-target': '0', 'branch-eni-cooldown': '60',
    } } },
    daemonSet(i, 'aws-node', labels, { 'k8s-app': 'aws-node' }, {
      ...criticalNode, hostNetwork: true, serviceAccountName: 'aws-node',
      containers: [
        { name: 'aws-node', image: `${ecr(i.region)}/amazon-k8s-cni:${i.addonVersion}`, ports: [{ containerPort: 61678, name: 'metrics', protocol: 'TCP' }],
          env: envOf(i, { ADDITIONAL_ENI_TAGS: '{}', AWS_VPC_CNI_NODE_PORT_SUPPORT: 'true', AWS_VPC_K8S_CNI_LOGLEVEL: 'DEBUG', CLUSTER_NAME: i.clusterName, ENABLE_PREFIX_DELEGATION: 'false', WARM_ENI_TARGET: '1' }),
          resources: { requests: { cpu: '25m' } } },
        { name: 'aws-eks-nodeagent', image: `${ecr(i.region)}/amazon/aws-network-policy-agent:v1.2.0-eksbuild.1`, resources: { requests: { cpu: '25m' } } },
      ],
    }),
  ];
}

function coredns(i: ManifestInput): ManifestObject[] {
  const labels = { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' };
  const corefile = '.:53 {\n    errors\n    health {\n        lameduck 5s\n      }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n';
  return [
    sa(i, 'coredns', { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' }, false),
    { ref: REFS.configmaps, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(i, 'coredns', { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' }), data: { Corefile: corefile } } },
    deployment(i, 'coredns', labels, { 'eks.amazonaws.com/component': 'coredns', 'k8s-app': 'kube-dns' }, replicasOf(i, 2), {
      priorityClassName: 'system-cluster-critical', serviceAccountName: 'coredns', dnsPolicy: 'Default',
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }],
      containers: [{
        name: 'coredns', image: `${ecr(i.region)}/eks/coredns:${i.addonVersion}`, args: ['-conf', '/etc/coredns/Corefile'],
        ports: [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }, { containerPort: 9153, name: 'metrics', protocol: 'TCP' }],
        resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
        volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
      }],
      volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
    }),
    { ref: REFS.services, obj: {
      apiVersion: 'v1', kind: 'Service',
      metadata: meta(i, 'kube-dns', { 'eks.amazonaws.com/component': 'kube-dns', 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }),
      spec: {
        clusterIP: nthAddress(i.serviceIpv4Cidr, 10), selector: { 'k8s-app': 'kube-dns' },
        ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 }, { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 }],
      },
    } },
  ];
}

function kubeProxy(i: ManifestInput): ManifestObject[] {
  const labels = { 'eks.amazonaws.com/component': 'kube-proxy', 'k8s-app': 'kube-proxy' };
  const image = `${ecr(i.region)}/eks/kube-proxy:${i.addonVersion.replace(/-eksbuild/, '-minimal-eksbuild')}`;
  return [
    sa(i, 'kube-proxy', labels, false),
    { ref: REFS.configmaps, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(i, 'kube-proxy', labels), data: {
      kubeconfig: 'kind: Config\napiVersion: v1\nclusters:\n- cluster:\n    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt\n    server: https://kubernetes.default.svc\n  name: default\ncontexts:\n- context:\n    cluster: default\n    namespace: default\n    user: default\n  name: default\ncurrent-context: default\nusers:\n- name: default\n  user:\n    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token\n',
    } } },
    { ref: REFS.configmaps, obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(i, 'kube-proxy-config', labels), data: {
      config: `apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nclientConnection:\n  kubeconfig: /var/lib/kube-proxy/kubeconfig\nclusterCIDR: ""\nmetricsBindAddress: 0.0.0.0:10249\nmode: ${typeof i.config.mode === 'string' ? i.config.mode : 'iptables'}\n`,
    } } },
    daemonSet(i, 'kube-proxy', labels, { 'k8s-app': 'kube-proxy' }, {
      ...criticalNode, hostNetwork: true, serviceAccountName: 'kube-proxy',
      containers: [{ name: 'kube-proxy', image, command: ['kube-proxy', '--v=2', '--config=/var/lib/kube-proxy-config/config', '--hostname-override=$(NODE_NAME)'],
        resources: { requests: { cpu: '100m' } }, securityContext: { privileged: true } }],
    }),
  ];
}

function ebsCsi(i: ManifestInput): ManifestObject[] {
  const v = bare(i.addonVersion).replace(/^v/, '');
  const base = { 'app.kubernetes.io/component': 'csi-driver', 'app.kubernetes.io/name': 'aws-ebs-csi-driver', 'app.kubernetes.io/version': v };
  const plugin = `${ecr(i.region)}/eks/aws-ebs-csi-driver:v${v}`;
  const side = (n: string, tag: string) => ({ name: n, image: `${ecr(i.region)}/eks/${n}:${tag}` });
  return [
    sa(i, 'ebs-csi-controller-sa', base, true),
    sa(i, 'ebs-csi-node-sa', base, false),
    deployment(i, 'ebs-csi-controller', base, { app: 'ebs-csi-controller', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' }, replicasOf(i, 2), {
      priorityClassName: 'system-cluster-critical', serviceAccountName: 'ebs-csi-controller-sa',
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists', tolerationSeconds: 300 }],
      containers: [{ name: 'ebs-plugin', image: plugin, args: ['controller', '--endpoint=$(CSI_ENDPOINT)', '--k8s-tag-cluster-id=' + i.clusterName] },
        side('csi-provisioner', 'v5.1.0-eks-1-32-1'), side('csi-attacher', 'v4.8.0-eks-1-32-1'), side('csi-snapshotter', 'v8.2.0-eks-1-32-1'),
        side('csi-resizer', 'v1.12.0-eks-1-32-1'), side('livenessprobe', 'v2.14.0-eks-1-32-1')],
    }),
    daemonSet(i, 'ebs-csi-node', base, { app: 'ebs-csi-node', 'app.kubernetes.io/name': 'aws-ebs-csi-driver' }, {
      ...criticalNode, serviceAccountName: 'ebs-csi-node-sa',
      containers: [{ name: 'ebs-plugin', image: plugin, args: ['node', '--endpoint=$(CSI_ENDPOINT)'], securityContext: { privileged: true } },
        side('csi-node-driver-registrar', 'v2.13.0-eks-1-32-1'), side('livenessprobe', 'v2.14.0-eks-1-32-1')],
    }),
    { ref: REFS.csidrivers, obj: { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', metadata: meta(i, 'ebs.csi.aws.com', base, false),
      spec: { attachRequired: true, podInfoOnMount: false, fsGroupPolicy: 'File' } } },
  ];
}

function podIdentityAgent(i: ManifestInput): ManifestObject[] {
  const labels = { 'app.kubernetes.io/instance': 'eks-pod-identity-agent', 'app.kubernetes.io/name': 'eks-pod-identity-agent' };
  return [daemonSet(i, 'eks-pod-identity-agent', labels, labels, {
    ...criticalNode, hostNetwork: true,
    containers: [{ name: 'eks-pod-identity-agent', image: `${ecr(i.region)}/eks/eks-pod-identity-agent:${bare(i.addonVersion).replace(/^v/, '')}`,
      command: ['/go-runner', '/eks-pod-identity-agent', 'server'], args: ['--port', '80', '--cluster-name', i.clusterName] }],
  })];
}

function metricsServer(i: ManifestInput): ManifestObject[] {
  const labels = { 'app.kubernetes.io/instance': 'metrics-server', 'app.kubernetes.io/name': 'metrics-server', 'k8s-app': 'metrics-server' };
  const sel = { 'app.kubernetes.io/instance': 'metrics-server', 'app.kubernetes.io/name': 'metrics-server' };
  return [
    sa(i, 'metrics-server', labels, false),
    deployment(i, 'metrics-server', labels, sel, replicasOf(i, 2), {
      priorityClassName: 'system-cluster-critical', serviceAccountName: 'metrics-server',
      containers: [{ name: 'metrics-server', image: `${ecr(i.region)}/eks/metrics-server:${i.addonVersion}`, args: ['--secure-port=10251', '--kubelet-preferred-address-types=InternalIP'],
        ports: [{ containerPort: 10251, name: 'https', protocol: 'TCP' }] }],
    }),
    { ref: REFS.services, obj: { apiVersion: 'v1', kind: 'Service', metadata: meta(i, 'metrics-server', labels),
      spec: { selector: sel, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }] } } },
  ];
}

const BUILDERS: Record<string, (i: ManifestInput) => ManifestObject[]> = {
  'vpc-cni': vpcCni, coredns, 'kube-proxy': kubeProxy, 'aws-ebs-csi-driver': ebsCsi,
  'eks-pod-identity-agent': podIdentityAgent, 'metrics-server': metricsServer,
};

/** The objects of an add-on, in apply order (ServiceAccounts and ConfigMaps before workloads). */
export function addonManifests(i: ManifestInput): ManifestObject[] {
  const b = BUILDERS[i.addonName];
  return b ? b(i) : [];
}
