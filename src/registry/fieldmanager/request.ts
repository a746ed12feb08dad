/**
 * The field manager as the API handlers use it (k8s.io/apiserver/pkg/endpoints/handlers): the
 * manager name (managerOrUserAgent / prefixFromUserAgent of rest.go), the PatchOptions/Create-
 * Options checks of the fieldManager and force parameters (apis/meta/v1/validation), the reset
 * fields of an endpoint, and the two entry points: a TrackFieldsFn for the generic store
 * (Update operations) and an applier for `application/apply-patch+yaml`.
 */
import type { KubeObject } from '../../api/types.js';
import { field, invalid, type FieldError } from '../../apimachinery/errors.js';
import type { TrackFieldsFn } from '../generic/options.js';
import type { Registry, ServedResource } from '../registry.js';
import { applyConfiguration, updateManagedFields } from './field-manager.js';
import type { Fields } from './fieldset.js';
import { schemaFor } from './schema-source.js';

export const FIELD_MANAGER_MAX_LENGTH = 128;

/** prefixFromUserAgent: the User-Agent up to its first "/", printable characters, at most 128 bytes. */
export function prefixFromUserAgent(ua: string | undefined): string {
  const head = (ua ?? '').split('/')[0];
  let out = '';
  let bytes = 0;
  for (const ch of head) {
    if (!isPrintable(ch)) continue;
    const n = Buffer.byteLength(ch);
    if (bytes + n > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
    bytes += n;
  }
  return out;
}

function isPrintable(ch: string): boolean {
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch);
}

/** ValidateCreate/Update/PatchOptions for fieldManager and force: a 422 `<Kind>Options.meta.k8s.io "" is invalid`. */
export function checkFieldManagerOptions(kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions', fieldManager: string | null, opts: { apply?: boolean; force?: string | null } = {}): void {
  const errs: FieldError[] = [];
  const fm = fieldManager ?? '';
  if (kind === 'PatchOptions') {
    if (!opts.apply && opts.force !== null && opts.force !== undefined) errs.push(field.forbidden('force', 'may not be specified for non-apply patch'));
    if (opts.apply && fm === '') errs.push(field.required('fieldManager', 'is required for apply patch'));
  }
  if (Buffer.byteLength(fm) > FIELD_MANAGER_MAX_LENGTH) errs.push(field.tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  let i = 0;
  for (const ch of fm) {
    if (!isPrintable(ch)) {
      const cp = ch.codePointAt(0) as number;
      errs.push(field.invalid('fieldManager', fm, `invalid character U+${cp.toString(16).toUpperCase().padStart(4, '0')} (at position ${i})`));
    }
    i += ch.length;
  }
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind }, '', errs);
}

export interface FieldManagerContext {
  registry: Registry;
  served: ServedResource;
  /** '' for the main resource, else the subresource written through ('status', 'scale', 'finalize'). */
  subresource: string;
  /** ?fieldManager= (null when absent). */
  fieldManager: string | null;
  userAgent: string | undefined;
  now: Date;
}

function resetFields(ctx: FieldManagerContext): Fields | undefined {
  if (ctx.subresource === 'status') return { 'f:spec': {} };
  if (ctx.subresource === '' && ctx.served.spec.subresources.some((s) => s.name === 'status')) return { 'f:status': {} };
  return undefined;
}

function time(d: Date): string {
  return new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The store's TrackFieldsFn of an Update-operation write (objects there are in the storage version). */
export async function fieldTracker(ctx: FieldManagerContext): Promise<TrackFieldsFn> {
  const s = ctx.served;
  const schema = await schemaFor(ctx.registry, s.store, s.storageApiVersion, s.store.kind);
  const req = {
    manager: ctx.fieldManager || prefixFromUserAgent(ctx.userAgent), apiVersion: s.apiVersion, kind: s.spec.kind,
    subresource: ctx.subresource, schema, ignored: resetFields(ctx), now: time(ctx.now),
  };
  return (old, obj) => updateManagedFields(old, obj, req);
}

/** Applies a configuration (served version) onto the live object (served version, null when absent). */
export async function fieldApplier(ctx: FieldManagerContext & { force: boolean }): Promise<(live: KubeObject | null, config: KubeObject) => KubeObject> {
  const s = ctx.served;
  const schema = await schemaFor(ctx.registry, s.store, s.apiVersion, s.spec.kind);
  const req = {
    manager: ctx.fieldManager ?? '', apiVersion: s.apiVersion, kind: s.spec.kind, subresource: ctx.subresource,
    schema, ignored: resetFields(ctx), now: time(ctx.now), force: ctx.force,
  };
  return (live, config) => applyConfiguration(live, config, req);
}
