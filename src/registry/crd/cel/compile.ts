/**
 * Compiles a `x-kubernetes-validations` rule: parse, then check that every identifier and
 * function is inside the subset keks evaluates. A rule outside it throws CelCompileError, so
 * the CRD is rejected at creation naming the rule (DESIGN.md: refuse loudly, never skip a rule).
 * Compiled rules are cached by source text.
 */
import { CelCompileError, type CelNode } from './ast.js';
import { parseCel } from './parser.js';
import { FUNCTIONS, GLOBAL_FUNCTIONS } from './functions.js';

export interface CompiledRule {
  ast: CelNode;
  /** A transition rule (references oldSelf): evaluated only on update, when an old value exists. */
  usesOldSelf: boolean;
}

const cache = new Map<string, CompiledRule>();
const CACHE_MAX = 4096;

function check(n: CelNode, scope: Set<string>, out: { old: boolean }): void {
  switch (n.t) {
    case 'lit': return;
    case 'ident':
      if (n.name === 'oldSelf') out.old = true;
      if (!scope.has(n.name)) throw new CelCompileError(`undeclared reference to '${n.name}'`);
      return;
    case 'select': case 'has': check(n.obj, scope, out); return;
    case 'index': check(n.obj, scope, out); check(n.index, scope, out); return;
    case 'call':
      // Innermost first, so the message names the first unsupported call in reading order.
      if (n.target) check(n.target, scope, out);
      if (!FUNCTIONS[n.fn]) throw new CelCompileError(`undeclared reference to '${n.fn}' (the function is not supported by keks)`);
      if (!n.target && !GLOBAL_FUNCTIONS.has(n.fn)) throw new CelCompileError(`undeclared reference to '${n.fn}' (supported only as a method)`);
      for (const a of n.args) check(a, scope, out);
      return;
    case 'macro': {
      check(n.target, scope, out);
      const inner = new Set(scope).add(n.v);
      if (n.mapFilter) check(n.mapFilter, inner, out);
      check(n.body, inner, out);
      return;
    }
    case 'unary': check(n.arg, scope, out); return;
    case 'binary': check(n.l, scope, out); check(n.r, scope, out); return;
    case 'cond': check(n.c, scope, out); check(n.a, scope, out); check(n.b, scope, out); return;
    case 'list': for (const x of n.items) check(x, scope, out); return;
    case 'map': for (const [k, v] of n.entries) { check(k, scope, out); check(v, scope, out); } return;
  }
}

/** Compiles `rule` (throws CelCompileError with cel-go-like wording). */
export function compileRule(rule: string): CompiledRule {
  const hit = cache.get(rule);
  if (hit) return hit;
  const ast = parseCel(rule);
  const out = { old: false };
  check(ast, new Set(['self', 'oldSelf']), out);
  const compiled = { ast, usesOldSelf: out.old };
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(rule, compiled);
  return compiled;
}

/** The schema a CEL value comes from, when known (undefined = dynamic, not checked). */
export interface FieldSchema {
  type?: string;
  properties?: Record<string, FieldSchema>;
  items?: FieldSchema;
  additionalProperties?: FieldSchema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/**
 * Field names a rule selects on `self` (and oldSelf, macro variables over its lists) must exist
 * in the schema, as cel-go's checker with the CRD's DeclType reports `undefined field 'x'`.
 * Objects without declared properties, maps and preserve-unknown-fields stay dynamic.
 */
export function checkFields(rule: string, schema: FieldSchema): void {
  const { ast } = compileRule(rule);
  walkTyped(ast, new Map([['self', schema], ['oldSelf', schema]]));
}

function selectType(s: FieldSchema | undefined, raw: string): FieldSchema | undefined {
  if (!s) return undefined;
  const field = unescape(raw);
  if (s.properties && Object.keys(s.properties).length && !s['x-kubernetes-preserve-unknown-fields']) {
    const p = s.properties[field];
    if (!p) {
      // apiVersion, kind and metadata exist on every object (root and embedded resources).
      if (field === 'metadata' || field === 'apiVersion' || field === 'kind') return undefined;
      if (s.additionalProperties) return typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
      throw new CelCompileError(`undefined field '${raw}'`);
    }
    return p;
  }
  if (typeof s.additionalProperties === 'object') return s.additionalProperties;
  return undefined;
}

const RESERVED = new Set(['as', 'break', 'const', 'continue', 'else', 'false', 'for', 'function', 'if', 'import', 'in', 'let', 'loop', 'package', 'namespace', 'null', 'return', 'true', 'var', 'void', 'while']);

function unescape(name: string): string {
  const m = /^__(.+)__$/.exec(name);
  if (m && RESERVED.has(m[1])) return m[1];
  return name.replace(/__(underscores|dot|dash|slash)__/g, (_s, w: string) => ({ underscores: '__', dot: '.', dash: '-', slash: '/' })[w] as string);
}

function walkTyped(n: CelNode, env: Map<string, FieldSchema | undefined>): FieldSchema | undefined {
  switch (n.t) {
    case 'ident': return env.get(n.name);
    case 'select': return selectType(walkTyped(n.obj, env), n.field);
    case 'has': selectType(walkTyped(n.obj, env), n.field); return undefined;
    case 'index': {
      const o = walkTyped(n.obj, env);
      walkTyped(n.index, env);
      if (o?.type === 'array') return o.items;
      return typeof o?.additionalProperties === 'object' ? o.additionalProperties : undefined;
    }
    case 'macro': {
      const t = walkTyped(n.target, env);
      const elem = t?.type === 'array' ? t.items : t?.type === 'object' ? { type: 'string' } : undefined;
      const inner = new Map(env).set(n.v, elem);
      if (n.mapFilter) walkTyped(n.mapFilter, inner);
      walkTyped(n.body, inner);
      return undefined;
    }
    case 'call': if (n.target) walkTyped(n.target, env); for (const a of n.args) walkTyped(a, env); return undefined;
    case 'unary': walkTyped(n.arg, env); return undefined;
    case 'binary': walkTyped(n.l, env); walkTyped(n.r, env); return undefined;
    case 'cond': walkTyped(n.c, env); walkTyped(n.a, env); walkTyped(n.b, env); return undefined;
    case 'list': for (const x of n.items) walkTyped(x, env); return undefined;
    case 'map': for (const [k, v] of n.entries) { walkTyped(k, env); walkTyped(v, env); } return undefined;
    default: return undefined;
  }
}
