/**
 * Per-resource field selectors, as kube-apiserver 1.32 registers them:
 *  - which labels a request may use: the AddFieldLabelConversionFunc of each served version
 *    (pkg/apis/<group>/<version>/conversion.go), else runtime.DefaultMetaV1FieldSelectorConversion
 *    (only metadata.name and metadata.namespace) — with each function's own error text;
 *  - which values an object exposes: each registry's GetAttrs / ToSelectableFields
 *    (pkg/registry/<group>/<resource>/strategy.go) plus generic.ObjectMetaFieldsSet.
 * Values are strings; booleans render "true"/"false", integers in decimal, missing strings "".
 *
 * Use: convertFieldSelector() on the parsed request selector (400 on an unsupported label, label
 * renames applied), then match it against selectableFields() of each object.
 */
import { badRequest } from '../apimachinery/errors.js';
import type { FieldSelector } from '../apimachinery/fields.js';

type Obj = Readonly<Record<string, unknown>>;
type Fields = Record<string, string>;

const hasOwn = Object.prototype.hasOwnProperty;

/** obj[a][b] (own properties of plain objects only), or undefined. */
function at(obj: unknown, a: string, b?: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj) || !hasOwn.call(obj, a)) return undefined;
  const v = (obj as Obj)[a];
  if (b === undefined) return v;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !hasOwn.call(v, b)) return undefined;
  return (v as Obj)[b];
}
function str(obj: unknown, a: string, b?: string): string {
  const v = at(obj, a, b);
  return typeof v === 'string' ? v : '';
}
function int(obj: unknown, a: string, b?: string): string {
  const v = at(obj, a, b);
  return typeof v === 'number' && Number.isFinite(v) ? String(Math.trunc(v)) : '0';
}
function bool(obj: unknown, a: string, b?: string): string {
  return at(obj, a, b) === true ? 'true' : 'false';
}

interface Spec {
  /** Labels the conversion function accepts (canonical names; aliases are extra). */
  accepted?: readonly string[];
  /** Request label → canonical label (e.g. pods spec.host → spec.nodeName). */
  aliases?: Readonly<Record<string, string>>;
  /** Error text for an unsupported label. */
  unsupported?: (label: string) => string;
  /** Kind-specific selectable fields (metadata.name / metadata.namespace are added for all). */
  fields?: (obj: Obj) => Fields;
}

const notSupported = (label: string): string => `field label not supported: ${label}`;
const defaultUnsupported = (label: string): string => `${JSON.stringify(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
const DEFAULT_ACCEPTED = ['metadata.name', 'metadata.namespace'] as const;

/** Core Event fields (pkg/registry/core/event/strategy.go ToSelectableFields), for either shape:
 * core/v1 (involvedObject, source, reportingComponent) or events.k8s.io/v1 (regarding,
 * deprecatedSource, reportingController) — both are stored as the one internal Event upstream. */
function eventFields(e: Obj): Fields {
  const ref = at(e, 'involvedObject') ?? at(e, 'regarding');
  const reporting = str(e, 'reportingComponent') || str(e, 'reportingController');
  const source = str(e, 'source', 'component') || str(e, 'deprecatedSource', 'component') || reporting;
  return {
    'involvedObject.kind': str(ref, 'kind'),
    'involvedObject.namespace': str(ref, 'namespace'),
    'involvedObject.name': str(ref, 'name'),
    'involvedObject.uid': str(ref, 'uid'),
    'involvedObject.apiVersion': str(ref, 'apiVersion'),
    'involvedObject.resourceVersion': str(ref, 'resourceVersion'),
    'involvedObject.fieldPath': str(ref, 'fieldPath'),
    reason: str(e, 'reason'),
    reportingComponent: reporting,
    source,
    type: str(e, 'type'),
  };
}

const CORE_EVENT_LABELS = [
  'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion',
  'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type', 'metadata.namespace', 'metadata.name',
] as const;

const batchUnsupported = (kind: string) => (label: string): string => `field label ${JSON.stringify(label)} not supported for ${JSON.stringify(kind)}`;

const SPECS: ReadonlyMap<string, Spec> = new Map<string, Spec>([
  ['/pods', {
    accepted: ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName',
      'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
    aliases: { 'spec.host': 'spec.nodeName' },
    unsupported: notSupported,
    // status.podIPs is accepted but not selectable upstream (always ""); status.podIP is podIPs[0].
    fields: (p) => {
      const ips = at(p, 'status', 'podIPs');
      const first = Array.isArray(ips) && ips.length > 0 ? str(ips[0], 'ip') : str(p, 'status', 'podIP');
      return {
        'spec.nodeName': str(p, 'spec', 'nodeName'),
        'spec.restartPolicy': str(p, 'spec', 'restartPolicy'),
        'spec.schedulerName': str(p, 'spec', 'schedulerName'),
        'spec.serviceAccountName': str(p, 'spec', 'serviceAccountName'),
        'spec.hostNetwork': bool(p, 'spec', 'hostNetwork'),
        'status.phase': str(p, 'status', 'phase'),
        'status.podIP': first,
        'status.nominatedNodeName': str(p, 'status', 'nominatedNodeName'),
      };
    },
  }],
  ['/nodes', {
    accepted: ['metadata.name', 'spec.unschedulable'],
    unsupported: notSupported,
    fields: (n) => ({ 'spec.unschedulable': bool(n, 'spec', 'unschedulable') }),
  }],
  ['/replicationcontrollers', {
    accepted: ['metadata.name', 'metadata.namespace', 'status.replicas'],
    unsupported: notSupported,
    fields: (rc) => ({ 'status.replicas': int(rc, 'status', 'replicas') }),
  }],
  ['/events', { accepted: CORE_EVENT_LABELS, unsupported: notSupported, fields: eventFields }],
  ['/namespaces', {
    accepted: ['status.phase', 'metadata.name'],
    unsupported: notSupported,
    fields: (ns) => ({ 'status.phase': str(ns, 'status', 'phase') }),
  }],
  ['/secrets', {
    accepted: ['type', 'metadata.namespace', 'metadata.name'],
    unsupported: notSupported,
    fields: (s) => ({ type: str(s, 'type') }),
  }],
  ['/services', {
    accepted: ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'],
    unsupported: notSupported,
    fields: (s) => ({ 'spec.clusterIP': str(s, 'spec', 'clusterIP'), 'spec.type': str(s, 'spec', 'type') }),
  }],
  // PersistentVolumeToSelectableFields also exposes a legacy "name" field, unreachable through the
  // default conversion but kept for fidelity.
  ['/persistentvolumes', { fields: (pv) => ({ name: str(pv, 'metadata', 'name') }) }],
  // apps/v1 registers no conversion: status.replicas is selectable but not requestable.
  ['apps/replicasets', { fields: (rs) => ({ 'status.replicas': int(rs, 'status', 'replicas') }) }],
  ['batch/jobs', {
    accepted: ['metadata.name', 'metadata.namespace', 'status.successful'],
    unsupported: batchUnsupported('Job'),
    fields: (j) => ({ 'status.successful': int(j, 'status', 'succeeded') }),
  }],
  ['batch/cronjobs', { accepted: ['metadata.name', 'metadata.namespace', 'status.successful'], unsupported: batchUnsupported('CronJob') }],
  ['certificates.k8s.io/certificatesigningrequests', {
    accepted: ['metadata.name', 'spec.signerName'],
    unsupported: notSupported,
    fields: (c) => ({ 'spec.signerName': str(c, 'spec', 'signerName') }),
  }],
  // events.k8s.io/v1 shares the core Event storage: its labels are renamed to the core ones.
  // The core spellings are accepted as well here (see the module report: 1.32 wording unverified).
  ['events.k8s.io/events', {
    accepted: CORE_EVENT_LABELS,
    aliases: {
      'regarding.kind': 'involvedObject.kind',
      'regarding.namespace': 'involvedObject.namespace',
      'regarding.name': 'involvedObject.name',
      'regarding.uid': 'involvedObject.uid',
      'regarding.apiVersion': 'involvedObject.apiVersion',
      'regarding.resourceVersion': 'involvedObject.resourceVersion',
      'regarding.fieldPath': 'involvedObject.fieldPath',
      reportingController: 'reportingComponent',
    },
    unsupported: notSupported,
    fields: eventFields,
  }],
]);

function specOf(group: string, resource: string): Spec | undefined {
  return SPECS.get(group === '' ? `/${resource}` : `${group}/${resource}`);
}

/**
 * The field set of `obj` for field-selector matching (canonical labels). Every resource exposes
 * metadata.name and metadata.namespace ("" for cluster-scoped objects).
 */
export function selectableFields(group: string, resource: string, obj: unknown): Record<string, string> {
  const o = (obj !== null && typeof obj === 'object' ? obj : {}) as Obj;
  const spec = specOf(group, resource);
  const out: Fields = spec?.fields ? spec.fields(o) : {};
  out['metadata.name'] = str(o, 'metadata', 'name');
  out['metadata.namespace'] = str(o, 'metadata', 'namespace');
  return out;
}

/** The labels a field selector on this resource may use (request spellings, aliases included). */
export function supportedFieldLabels(group: string, resource: string): string[] {
  const spec = specOf(group, resource);
  const accepted = spec?.accepted ?? DEFAULT_ACCEPTED;
  return [...accepted, ...Object.keys(spec?.aliases ?? {})];
}

/**
 * ConvertFieldLabel for one label: the canonical label, or a 400 BadRequest with the conversion
 * function's message (what the list/watch handler returns after Selector.Transform).
 */
export function convertFieldLabel(group: string, resource: string, label: string): string {
  const spec = specOf(group, resource);
  const alias = spec?.aliases && hasOwn.call(spec.aliases, label) ? spec.aliases[label] : undefined;
  if (alias !== undefined) return alias;
  const accepted = spec?.accepted ?? DEFAULT_ACCEPTED;
  if (accepted.includes(label)) return label;
  throw badRequest((spec?.accepted ? spec.unsupported ?? notSupported : defaultUnsupported)(label));
}

/** Selector.Transform with the resource's field label conversion. Throws 400 on an unknown label. */
export function convertFieldSelector(group: string, resource: string, sel: FieldSelector): FieldSelector {
  if (sel.empty) return sel;
  return sel.transform((f, value) => ({ field: convertFieldLabel(group, resource, f), value }));
}
