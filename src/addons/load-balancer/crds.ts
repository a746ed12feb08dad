/**
 * The CustomResourceDefinitions the AWS Load Balancer Controller's Helm chart installs
 * (config/crd/bases/elbv2.k8s.aws_targetgroupbindings.yaml and _ingressclassparams.yaml, version
 * v1beta1, field names as upstream): TargetGroupBinding (namespaced, short name none) and
 * IngressClassParams (cluster-scoped). Installed at controller start when absent; the controller
 * waits until they are Established.
 */
import type { KubeObject } from '../../api/types.js';
import type { ApiClient, ResourceRef } from '../../client/client.js';
import { isConflict } from '../../client/errors.js';

export const CRDS: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };
export const TARGET_GROUP_BINDINGS: ResourceRef = { group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'targetgroupbindings', namespaced: true };
export const INGRESS_CLASS_PARAMS: ResourceRef = { group: 'elbv2.k8s.aws', version: 'v1beta1', resource: 'ingressclassparams', namespaced: false };

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'object', properties, ...extra });
const str = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'string', ...extra });
const loose = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
const keyValues = { type: 'array', items: obj({ key: str(), value: str() }, { required: ['key', 'value'] }) };

const tgbSchema = obj({
  apiVersion: str(), kind: str(), metadata: { type: 'object' },
  spec: obj({
    targetGroupARN: str({ minLength: 1 }),
    targetGroupName: str(),
    targetType: str({ enum: ['instance', 'ip'] }),
    serviceRef: obj({ name: str(), port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true } }, { required: ['name', 'port'] }),
    networking: loose,
    nodeSelector: loose,
    ipAddressType: str({ enum: ['ipv4', 'ipv6'] }),
    vpcID: str(),
    multiClusterTargetGroup: { type: 'boolean' },
  }, { required: ['serviceRef'] }),
  status: obj({ observedGeneration: { type: 'integer', format: 'int64' } }),
});

const icpSchema = obj({
  apiVersion: str(), kind: str(), metadata: { type: 'object' },
  spec: obj({
    namespaceSelector: loose,
    group: obj({ name: str() }, { required: ['name'] }),
    scheme: str({ enum: ['internal', 'internet-facing'] }),
    ipAddressType: str({ enum: ['ipv4', 'dualstack', 'dualstack-without-public-ipv4'] }),
    tags: keyValues,
    loadBalancerAttributes: keyValues,
    certificateArn: { type: 'array', items: str() },
    sslPolicy: str(),
    subnets: loose,
    inboundCIDRs: { type: 'array', items: str() },
    loadBalancerName: str(),
  }),
});

export function targetGroupBindingCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'targetgroupbindings.elbv2.k8s.aws', labels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller' } },
    spec: {
      group: 'elbv2.k8s.aws', scope: 'Namespaced',
      names: { kind: 'TargetGroupBinding', listKind: 'TargetGroupBindingList', plural: 'targetgroupbindings', singular: 'targetgroupbinding' },
      versions: [{
        name: 'v1beta1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: tgbSchema },
        additionalPrinterColumns: [
          { name: 'SERVICE-NAME', type: 'string', description: "The Kubernetes Service's name", jsonPath: '.spec.serviceRef.name' },
          { name: 'SERVICE-PORT', type: 'string', description: "The Kubernetes Service's port", jsonPath: '.spec.serviceRef.port' },
          { name: 'TARGET-TYPE', type: 'string', description: "The AWS TargetGroup's TargetType", jsonPath: '.spec.targetType' },
          { name: 'ARN', type: 'string', description: "The AWS TargetGroup's Amazon Resource Name", jsonPath: '.spec.targetGroupARN', priority: 1 },
          { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }],
    },
  };
}

export function ingressClassParamsCrd(): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
    metadata: { name: 'ingressclassparams.elbv2.k8s.aws', labels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller' } },
    spec: {
      group: 'elbv2.k8s.aws', scope: 'Cluster',
      names: { kind: 'IngressClassParams', listKind: 'IngressClassParamsList', plural: 'ingressclassparams', singular: 'ingressclassparams' },
      versions: [{
        name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: icpSchema },
        additionalPrinterColumns: [
          { name: 'GROUP-NAME', type: 'string', description: 'The Ingress Group name', jsonPath: '.spec.group.name' },
          { name: 'SCHEME', type: 'string', description: 'The AWS Load Balancer scheme', jsonPath: '.spec.scheme' },
          { name: 'IP-ADDRESS-TYPE', type: 'string', description: 'The AWS Load Balancer ipAddressType', jsonPath: '.spec.ipAddressType' },
          { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }],
    },
  };
}

function established(crd: KubeObject): boolean {
  const conds = (crd.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Established' && c.status === 'True');
}

/** Creates the CRDs when absent and waits (bounded, 10 s) until both are Established. */
export async function ensureCrds(client: ApiClient): Promise<void> {
  for (const crd of [targetGroupBindingCrd(), ingressClassParamsCrd()]) {
    try {
      await client.create(CRDS, '', crd);
    } catch (e) {
      if (!isConflict(e)) throw e;
    }
  }
  // Real time on purpose (a fake clock would never end the wait): 500 × 20 ms.
  for (let i = 0; i < 500; i++) {
    const all = await Promise.all(['targetgroupbindings.elbv2.k8s.aws', 'ingressclassparams.elbv2.k8s.aws'].map((n) => client.get(CRDS, '', n)));
    if (all.every(established)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('load balancer CRDs not Established after 10 s');
}
