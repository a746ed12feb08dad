/**
 * Kind rules of the core group that the Foundation needs (pkg/registry/core/<kind>/strategy.go).
 * Defaulting and full validation of every field come with the API machinery issue.
 */
import type { KubeObject } from '../../api/types.js';
import { field, type FieldError } from '../../apimachinery/errors.js';
import { nameIsDNSLabel, nameIsDNSSubdomain } from '../../apimachinery/validation/names.js';
import { defaultStrategy } from '../default-strategy.js';
import type { Strategy } from '../strategy.js';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** Namespaces: phase Active on create, Terminating when deleted; spec.finalizers (["kubernetes"]) hold deletion. */
export function namespaceStrategy(): Strategy {
  return defaultStrategy({ hasStatus: true, validateName: nameIsDNSLabel }, {
    returnDeletedObject: true,
    prepareForCreate(obj) {
      obj.status = { phase: 'Active' };
      const spec = asObj(obj.spec);
      const fins = Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
      if (!fins.includes('kubernetes')) fins.push('kubernetes');
      obj.spec = { ...spec, finalizers: fins };
    },
    prepareForUpdate(obj, old) {
      // spec.finalizers change only through /finalize; status only through /status.
      obj.spec = old.spec;
      obj.status = old.status;
    },
    prepareForStatusUpdate(obj, old) {
      const status = obj.status;
      obj.spec = old.spec;
      obj.status = status;
      obj.metadata.labels = old.metadata.labels;
      obj.metadata.annotations = old.metadata.annotations;
    },
    // The label kubernetes.io/metadata.name always equals the name (core/v1 SetDefaults_Namespace
    // and the namespace strategy's Canonicalize): selectors such as NetworkPolicy's rely on it.
    canonicalize(obj) {
      if (obj.metadata.name) obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
    },
    blocksDeletion: (obj) => ((asObj(obj.spec).finalizers as unknown[] | undefined)?.length ?? 0) > 0,
    prepareForDelete(obj) {
      obj.status = { ...asObj(obj.status), phase: 'Terminating' };
    },
  });
}

/** The namespaces/finalize subresource: only spec.finalizers change (namespace FinalizeREST). */
export function namespaceFinalizeStrategy(): Strategy {
  return defaultStrategy({ hasStatus: true, validateName: nameIsDNSLabel }, {
    prepareForUpdate(obj, old) {
      const fins = asObj(obj.spec).finalizers;
      obj.spec = { ...asObj(old.spec), finalizers: Array.isArray(fins) ? fins : [] };
      obj.status = old.status;
      obj.metadata.labels = old.metadata.labels;
      obj.metadata.annotations = old.metadata.annotations;
    },
    blocksDeletion: (obj) => ((asObj(obj.spec).finalizers as unknown[] | undefined)?.length ?? 0) > 0,
  });
}

/** Pods: status starts Pending; graceful deletion for scheduled, non-terminal pods (pod strategy CheckGracefulDelete). */
export function podStrategy(): Strategy {
  return defaultStrategy({ hasStatus: true, validateName: nameIsDNSSubdomain }, {
    returnDeletedObject: true,
    prepareForCreate(obj) {
      obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
    },
    gracePeriodSeconds(obj, requested) {
      const spec = asObj(obj.spec);
      const phase = asObj(obj.status).phase;
      if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
      if (requested !== undefined) return requested === 0 ? 0 : requested;
      const g = spec.terminationGracePeriodSeconds;
      return typeof g === 'number' ? g : 30;
    },
  });
}

/** QoS class as pkg/apis/core/helper/qos: Guaranteed, Burstable or BestEffort. */
export function qosClass(pod: KubeObject): string {
  const spec = asObj(pod.spec);
  const cs = [...((spec.containers as unknown[]) ?? []), ...((spec.initContainers as unknown[]) ?? [])].map(asObj);
  let any = false;
  let guaranteed = cs.length > 0;
  for (const c of cs) {
    const r = asObj(c.resources);
    const req = asObj(r.requests);
    const lim = asObj(r.limits);
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const res of ['cpu', 'memory']) {
      if (lim[res] === undefined) guaranteed = false;
      else if (req[res] !== undefined && req[res] !== lim[res]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

function validateDataKeys(obj: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const f of fields) {
    for (const k of Object.keys(asObj(obj[f]))) {
      if (!CONFIG_KEY.test(k) || k.length > 253 || k === '.' || k === '..' || k.startsWith('..')) {
        errs.push(field.invalid(`${f}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
      }
      if (seen.has(k)) errs.push(field.invalid(`${f}[${k}]`, k, `duplicate of key present in ${fields[0]}`));
      seen.add(k);
    }
  }
  return errs;
}

function immutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (JSON.stringify(obj[f] ?? {}) !== JSON.stringify(old[f] ?? {})) errs.push(field.forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}

export function configMapStrategy(): Strategy {
  return defaultStrategy({ hasStatus: false, validateName: nameIsDNSSubdomain }, {
    validate: (obj) => validateDataKeys(obj, ['data', 'binaryData']),
    validateUpdate: (obj, old) => [...validateDataKeys(obj, ['data', 'binaryData']), ...immutableData(obj, old, ['data', 'binaryData'])],
  });
}

/** Secrets: stringData is folded into data (base64) on write, type defaults to Opaque and is immutable. */
export function secretStrategy(): Strategy {
  const fold = (obj: KubeObject): void => {
    const sd = obj.stringData;
    if (sd && typeof sd === 'object') {
      const data = { ...asObj(obj.data) };
      for (const [k, v] of Object.entries(sd as Obj)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
      obj.data = data;
    }
    delete obj.stringData;
    if (!obj.type) obj.type = 'Opaque';
  };
  return defaultStrategy({ hasStatus: false, validateName: nameIsDNSSubdomain }, {
    prepareForCreate: fold,
    prepareForUpdate: (obj) => fold(obj),
    validate: (obj) => validateDataKeys(obj, ['data']),
    validateUpdate(obj, old) {
      const errs = [...validateDataKeys(obj, ['data']), ...immutableData(obj, old, ['data'])];
      if (obj.type !== old.type) errs.push(field.immutable('type', obj.type));
      return errs;
    },
  });
}

/** Services: see registry/services/strategy.ts (allocation is wired by registry/services/install.ts). */
export { serviceStrategy } from '../services/strategy.js';

export function plainStrategy(hasStatus: boolean, validateName = nameIsDNSSubdomain, tracksGeneration = false): Strategy {
  return defaultStrategy({ hasStatus, validateName, tracksGeneration });
}

/** Nodes: status may be set on create, as the kubelet registers with it (node strategy PrepareForCreate). */
export function nodeStrategy(): Strategy {
  return defaultStrategy({ hasStatus: true, validateName: nameIsDNSSubdomain }, { prepareForCreate: () => undefined });
}
