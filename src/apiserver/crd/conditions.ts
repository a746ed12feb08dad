/**
 * CRD status as the naming and establishing controllers write it
 * (apiextensions-apiserver pkg/controller/status/naming_controller.go, establish/):
 * NamesAccepted (reason NoConflicts / <Field>Conflict), Established (InitialNamesAccepted),
 * acceptedNames. Only returns a change when something differs, so a status write does not
 * trigger another one.
 */
import type { Crd, CrdCondition, CrdNames, CrdStatus } from '../../registry/crd/types.js';
import { acceptedNamesOf } from './resource-specs.js';
import { formatTime as rfc3339 } from '../../apimachinery/time.js';

export interface NameConflict { reason: string; message: string }

function namesOf(n: CrdNames | undefined): { resources: Set<string>; kinds: Set<string> } {
  const resources = new Set<string>();
  const kinds = new Set<string>();
  if (n) {
    resources.add(n.plural);
    if (n.singular) resources.add(n.singular);
    for (const s of n.shortNames ?? []) resources.add(s);
    kinds.add(n.kind);
    if (n.listKind) kinds.add(n.listKind);
  }
  return { resources, kinds };
}

/** The first name of `crd` another CRD of its group already uses, if any. */
export function namesConflict(crd: Crd, others: Crd[]): NameConflict | undefined {
  const n = acceptedNamesOf(crd);
  for (const o of others) {
    const used = namesOf(o.status?.acceptedNames?.plural ? o.status.acceptedNames : acceptedNamesOf(o));
    if (used.resources.has(n.plural)) return { reason: 'PluralConflict', message: `"${n.plural}" is already in use` };
    if (n.singular && used.resources.has(n.singular)) return { reason: 'SingularConflict', message: `"${n.singular}" is already in use` };
    for (const s of n.shortNames ?? []) if (used.resources.has(s)) return { reason: 'ShortNamesConflict', message: `"${s}" is already in use` };
    if (used.kinds.has(n.kind)) return { reason: 'KindConflict', message: `"${n.kind}" is already in use` };
    if (n.listKind && used.kinds.has(n.listKind)) return { reason: 'ListKindConflict', message: `"${n.listKind}" is already in use` };
  }
  return undefined;
}

function setCondition(conds: CrdCondition[], c: CrdCondition, now: string): CrdCondition[] {
  const old = conds.find((x) => x.type === c.type);
  const next = { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
  return old ? conds.map((x) => (x.type === c.type ? next : x)) : [...conds, next];
}

/** The status fields to write, or undefined when the stored status is already right. */
export function statusFor(crd: Crd, conflict: NameConflict | undefined, now: Date): Partial<CrdStatus> | undefined {
  const ts = rfc3339(now);
  const cur = crd.status ?? {};
  let conds = cur.conditions ?? [];
  let acceptedNames = cur.acceptedNames;
  if (conflict) {
    conds = setCondition(conds, { type: 'NamesAccepted', status: 'False', reason: conflict.reason, message: conflict.message }, ts);
    if (!conds.some((c) => c.type === 'Established' && c.status === 'True')) {
      conds = setCondition(conds, { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' }, ts);
    }
  } else {
    acceptedNames = acceptedNamesOf(crd);
    conds = setCondition(conds, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, ts);
    conds = setCondition(conds, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, ts);
  }
  const strip = (cs: CrdCondition[]) => JSON.stringify(cs.map(({ lastTransitionTime: _t, ...rest }) => rest));
  const sameConds = strip(conds) === strip(cur.conditions ?? []) && conds.length === (cur.conditions ?? []).length;
  if (sameConds && JSON.stringify(acceptedNames) === JSON.stringify(cur.acceptedNames)) return undefined;
  return { conditions: conds, acceptedNames };
}
