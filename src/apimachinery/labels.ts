/**
 * Label selectors, as k8s.io/apimachinery/pkg/labels/selector.go: `Parse` (label-parser.ts),
 * Requirement matching and String() (label-requirement.ts), plus metav1.LabelSelectorAsSelector
 * (pkg/apis/meta/v1/helpers.go) for controllers.
 *
 * Parsed selectors are precompiled: `matches()` walks a small array and does no allocation
 * (except for the rarely used Gt/Lt operators, which parse the label value as an integer).
 */
import { badRequest } from './errors.js';
import { ParseError, parseRequirements } from './label-parser.js';
import { Compiled, newRequirement, type LabelOperator, type LabelRequirement, type Labels, type LabelSelector } from './label-requirement.js';

export type { LabelOperator, LabelRequirement, Labels, LabelSelector } from './label-requirement.js';

const hasOwn = Object.prototype.hasOwnProperty;

class InternalSelector implements LabelSelector {
  private readonly reqs: readonly Compiled[];
  private readonly str: string;
  constructor(reqs: Compiled[]) {
    // Sorted by key for a deterministic String() (upstream sort.Sort(ByKey)); stable here.
    this.reqs = reqs.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.str = this.reqs.map((r) => r.toString()).join(',');
  }
  get empty(): boolean { return this.reqs.length === 0; }
  matches(labels: Labels): boolean {
    const reqs = this.reqs;
    for (let i = 0; i < reqs.length; i++) if (!reqs[i]!.matches(labels)) return false;
    return true;
  }
  toString(): string { return this.str; }
  requirements(): readonly LabelRequirement[] { return this.reqs; }
  requiresExactMatch(key: string): string | undefined {
    for (const r of this.reqs) {
      if (r.key !== key) continue;
      if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
      return undefined;
    }
    return undefined;
  }
}

const NOTHING: LabelSelector = {
  matches: () => false,
  empty: false,
  toString: () => '',
  requirements: () => [],
  requiresExactMatch: () => undefined,
};

const EVERYTHING: LabelSelector = new InternalSelector([]);

/** labels.Everything(): matches all objects. */
export function everythingLabels(): LabelSelector { return EVERYTHING; }
/** labels.Nothing(): matches no object (a nil metav1.LabelSelector). */
export function nothingLabels(): LabelSelector { return NOTHING; }

/**
 * labels.Parse. Throws a 400 BadRequest StatusError whose message is upstream's error text
 * (kube-apiserver passes it through NewBadRequest(err.Error()) when decoding list options).
 */
export function parseLabelSelector(s: string): LabelSelector {
  if (s === '') return EVERYTHING;
  try {
    return new InternalSelector(parseRequirements(s));
  } catch (e) {
    if (e instanceof ParseError) throw badRequest(e.message);
    throw e;
  }
}

/** labels.SelectorFromSet (unvalidated): key=value for each entry. */
export function labelSelectorFromSet(set: Readonly<Record<string, string>> | undefined): LabelSelector {
  if (!set) return EVERYTHING;
  return new InternalSelector(Object.keys(set).map((k) => new Compiled({ key: k, operator: '=', values: [set[k]!] })));
}

// ---------------------------------------------------------------------------------------------
// metav1.LabelSelector

export interface MetaLabelSelectorRequirement { key: string; operator: string; values?: string[] | null }
export interface MetaLabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: MetaLabelSelectorRequirement[] | null;
}

const META_OPS: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: null/undefined → Nothing; empty → Everything. Invalid
 * requirements throw a 400 with upstream's message (e.g. `"Foo" is not a valid label selector
 * operator`, or NewRequirement's aggregated field errors).
 */
export function labelSelectorFromMeta(sel: MetaLabelSelector | null | undefined): LabelSelector {
  if (sel == null) return NOTHING;
  const ml = sel.matchLabels ?? {};
  const me = sel.matchExpressions ?? [];
  if (Object.keys(ml).length + me.length === 0) return EVERYTHING;
  const reqs: Compiled[] = [];
  for (const k of Object.keys(ml)) {
    const r = newRequirement(k, '=', [ml[k]!]);
    if (typeof r === 'string') throw badRequest(r);
    reqs.push(r);
  }
  for (const expr of me) {
    const op = hasOwn.call(META_OPS, expr.operator) ? META_OPS[expr.operator] : undefined;
    if (!op) throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    // Unlike the parser, values keep their given order (and duplicates) here, as upstream.
    const r = newRequirement(expr.key, op, [...(expr.values ?? [])]);
    if (typeof r === 'string') throw badRequest(r);
    reqs.push(r);
  }
  return new InternalSelector(reqs);
}
