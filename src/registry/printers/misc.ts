/**
 * Printers of the smaller groups, as pkg/printers/internalversion/printers.go (Kubernetes 1.32):
 * coordination leases and leasecandidates, discovery endpointslices, policy
 * poddisruptionbudgets, scheduling priorityclasses, node runtimeclasses, certificates
 * certificatesigningrequests and clustertrustbundles; and apiregistration apiservices, whose
 * table comes from kube-aggregator's REST.ConvertToTable.
 */
import type { KubeObject } from '../../api/types.js';
import type { TablePrinter } from './types.js';
import { AGE, NAME, ageOf, col, columns, docCol, nameOf } from './columns.js';
import { humanDuration, intOrString, listWithMore } from './format.js';

export const leasePrinter: TablePrinter = {
  columns: columns(NAME, docCol('Holder', 'string', 'coordination/v1 LeaseSpec.holderIdentity'), AGE),
  cells: (obj, ctx) => [nameOf(obj), (obj as { spec?: { holderIdentity?: string | null } }).spec?.holderIdentity ?? '', ageOf(obj, ctx)],
};

interface LeaseCandidateLike extends KubeObject {
  spec?: { leaseName?: string; binaryVersion?: string; emulationVersion?: string };
}

export const leaseCandidatePrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('LeaseName', 'string', 'coordination/v1alpha2 LeaseCandidateSpec.leaseName'),
    // Upstream reads ObjectMeta{}.SwaggerDoc()["binaryVersion"] / ["emulationVersion"]: no such keys, "".
    col('BinaryVersion', 'string', ''),
    col('EmulationVersion', 'string', ''),
    AGE,
  ),
  cells(obj, ctx) {
    const s = (obj as LeaseCandidateLike).spec ?? {};
    return [nameOf(obj), s.leaseName ?? '', s.binaryVersion ?? '', s.emulationVersion ?? '', ageOf(obj, ctx)];
  },
};

interface EndpointSliceLike extends KubeObject {
  addressType?: string;
  ports?: Array<{ port?: number | null; name?: string | null }> | null;
  endpoints?: Array<{ addresses?: string[] }> | null;
}

/** printers.go formatDiscoveryPorts: port number, else name, else `*`; 3 at most. */
function formatDiscoveryPorts(ports: EndpointSliceLike['ports']): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const p of ports ?? []) {
    if (list.length < max) {
      list.push(typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*');
    } else if (list.length === max) {
      more = true;
    }
    count++;
  }
  return listWithMore(list, more, count, max);
}

/** printers.go formatDiscoveryEndpoints: every address of every endpoint, 3 at most. */
function formatDiscoveryEndpoints(endpoints: EndpointSliceLike['endpoints']): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const e of endpoints ?? []) {
    for (const a of e.addresses ?? []) {
      if (list.length < max) list.push(a);
      else if (list.length === max) more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, max);
}

export const endpointSlicePrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('AddressType', 'string', 'discovery/v1beta1 EndpointSlice.addressType'),
    docCol('Ports', 'string', 'discovery/v1beta1 EndpointSlice.ports'),
    docCol('Endpoints', 'string', 'discovery/v1beta1 EndpointSlice.endpoints'),
    AGE,
  ),
  cells(obj, ctx) {
    const es = obj as EndpointSliceLike;
    return [nameOf(es), es.addressType ?? '', formatDiscoveryPorts(es.ports), formatDiscoveryEndpoints(es.endpoints), ageOf(es, ctx)];
  },
};

interface PodDisruptionBudgetLike extends KubeObject {
  spec?: { minAvailable?: number | string | null; maxUnavailable?: number | string | null };
  status?: { disruptionsAllowed?: number };
}

export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE,
  ),
  cells(obj, ctx) {
    const pdb = obj as PodDisruptionBudgetLike;
    const min = pdb.spec?.minAvailable;
    const max = pdb.spec?.maxUnavailable;
    return [
      nameOf(pdb), min === undefined || min === null ? 'N/A' : intOrString(min),
      max === undefined || max === null ? 'N/A' : intOrString(max), pdb.status?.disruptionsAllowed ?? 0, ageOf(pdb, ctx),
    ];
  },
};

interface PriorityClassLike extends KubeObject { value?: number; globalDefault?: boolean; preemptionPolicy?: string | null }

export const priorityClassPrinter: TablePrinter = {
  columns: columns(
    NAME,
    docCol('Value', 'integer', 'scheduling/v1 PriorityClass.value'),
    docCol('Global-Default', 'boolean', 'scheduling/v1 PriorityClass.globalDefault'),
    AGE,
    // Priority 0 upstream, although the cell is only appended for wide output (always, server side).
    docCol('PreemptionPolicy', 'string', 'scheduling/v1 PriorityClass.preemptionPolicy'),
  ),
  cells(obj, ctx) {
    const pc = obj as PriorityClassLike;
    return [nameOf(pc), pc.value ?? 0, pc.globalDefault ?? false, ageOf(pc, ctx), pc.preemptionPolicy ?? ''];
  },
};

export const runtimeClassPrinter: TablePrinter = {
  // Upstream reads ObjectMeta{}.SwaggerDoc()["handler"]: no such key, "".
  columns: columns(NAME, col('Handler', 'string', ''), AGE),
  cells: (obj, ctx) => [nameOf(obj), typeof obj.handler === 'string' ? obj.handler : '', ageOf(obj, ctx)],
};

interface CSRLike extends KubeObject {
  spec?: { signerName?: string; username?: string; expirationSeconds?: number | null };
  status?: { conditions?: Array<{ type?: string }>; certificate?: string };
}

/** printers.go extractCSRStatus: Denied > Approved > Pending, then `,Failed`, `,Issued`. */
function csrStatus(csr: CSRLike): string {
  let approved = false;
  let denied = false;
  let failed = false;
  for (const c of csr.status?.conditions ?? []) {
    if (c.type === 'Approved') approved = true;
    else if (c.type === 'Denied') denied = true;
    else if (c.type === 'Failed') failed = true;
  }
  let status = denied ? 'Denied' : approved ? 'Approved' : 'Pending';
  if (failed) status += ',Failed';
  if (csr.status?.certificate) status += ',Issued';
  return status;
}

export const certificateSigningRequestPrinter: TablePrinter = {
  columns: columns(
    NAME,
    AGE,
    docCol('SignerName', 'string', 'certificates/v1beta1 CertificateSigningRequestSpec.signerName'),
    docCol('Requestor', 'string', 'certificates/v1beta1 CertificateSigningRequestSpec.request'),
    docCol('RequestedDuration', 'string', 'certificates/v1beta1 CertificateSigningRequestSpec.expirationSeconds'),
    docCol('Condition', 'string', 'certificates/v1beta1 CertificateSigningRequestStatus.conditions'),
  ),
  cells(obj, ctx) {
    const csr = obj as CSRLike;
    const exp = csr.spec?.expirationSeconds;
    return [
      nameOf(csr), ageOf(csr, ctx), csr.spec?.signerName || '<none>', csr.spec?.username ?? '',
      typeof exp === 'number' ? humanDuration(exp * 1000) : '<none>', csrStatus(csr),
    ];
  },
};

export const clusterTrustBundlePrinter: TablePrinter = {
  columns: columns(NAME, docCol('SignerName', 'string', 'certificates/v1alpha1 ClusterTrustBundleSpec.signerName')),
  cells: (obj) => [nameOf(obj), (obj as { spec?: { signerName?: string } }).spec?.signerName || '<none>'],
};

interface APIServiceLike extends KubeObject {
  spec?: { service?: { namespace?: string; name?: string } | null };
  status?: { conditions?: Array<{ type?: string; status?: string; reason?: string }> };
}

export const apiServicePrinter: TablePrinter = {
  columns: columns(
    NAME,
    col('Service', 'string', 'The reference to the service that hosts this API endpoint.'),
    col('Available', 'string', 'Whether this service is available.'),
    AGE,
  ),
  cells(obj, ctx) {
    const svc = obj as APIServiceLike;
    const ref = svc.spec?.service;
    const service = ref ? `${ref.namespace ?? ''}/${ref.name ?? ''}` : 'Local';
    let status = 'Unknown';
    const cond = (svc.status?.conditions ?? []).find((c) => c.type === 'Available');
    if (cond) {
      status = cond.status === 'True' || !cond.reason ? cond.status ?? '' : `${cond.status ?? ''} (${cond.reason})`;
    }
    return [nameOf(svc), service, status, ageOf(svc, ctx)];
  },
};
