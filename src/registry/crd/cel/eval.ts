/**
 * Evaluates a parsed CEL expression against JSON data bound to `self` (and `oldSelf` for
 * transition rules). Errors (missing keys, type mismatches) throw CelEvalError, as cel-go
 * returns an error value; `||` and `&&` absorb errors when the other side decides the result
 * (CEL's commutative logical operators).
 */
import { CelDuration, CelEvalError, CelTimestamp, CelUint, type CelNode, type CelValue } from './ast.js';
import { celEquals, celSize, checkInt, compareValues, FUNCTIONS, typeName } from './functions.js';

const RESERVED = new Set(['as', 'break', 'const', 'continue', 'else', 'false', 'for', 'function', 'if', 'import', 'in', 'let', 'loop', 'package', 'namespace', 'null', 'return', 'true', 'var', 'void', 'while']);

/** Property names as the schema spells them (k8s.io/apiserver/pkg/cel/escaping.go, reversed). */
export function unescapeProperty(name: string): string {
  const m = /^__(.+)__$/.exec(name);
  if (m && RESERVED.has(m[1])) return m[1];
  return name.replace(/__(underscores|dot|dash|slash)__/g, (_s, w: string) => ({ underscores: '__', dot: '.', dash: '-', slash: '/' })[w] as string);
}

/** JSON (as decoded) to CEL values: integral numbers are ints, others doubles. */
export function fromJson(v: unknown): CelValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJson);
  const out: Record<string, CelValue> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = fromJson(x);
  return out;
}

function isMap(v: CelValue): v is Record<string, CelValue> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof CelUint) && !(v instanceof CelDuration) && !(v instanceof CelTimestamp);
}

type Env = Map<string, CelValue>;

function truthy(v: CelValue, op: string): boolean {
  if (typeof v !== 'boolean') throw new CelEvalError(`no such overload: ${op}(${typeName(v)})`);
  return v;
}

function arith(op: string, a: CelValue, b: CelValue): CelValue {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a instanceof CelDuration && b instanceof CelDuration) {
    if (op === '+') return new CelDuration(a.ns + b.ns);
    if (op === '-') return new CelDuration(a.ns - b.ns);
  }
  if (a instanceof CelTimestamp && b instanceof CelDuration) {
    if (op === '+') return new CelTimestamp(a.ms + Number(b.ns / 1000000n));
    if (op === '-') return new CelTimestamp(a.ms - Number(b.ns / 1000000n));
  }
  if (a instanceof CelTimestamp && b instanceof CelTimestamp && op === '-') return new CelDuration(BigInt(a.ms - b.ms) * 1000000n);
  if (typeof a === 'bigint' && typeof b === 'bigint') {
    if ((op === '/' || op === '%') && b === 0n) throw new CelEvalError(op === '/' ? 'division by zero' : 'modulus by zero');
    const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : op === '/' ? a / b : a % b;
    return checkInt(r);
  }
  if (a instanceof CelUint && b instanceof CelUint) {
    if ((op === '/' || op === '%') && b.v === 0n) throw new CelEvalError('division by zero');
    const r = op === '+' ? a.v + b.v : op === '-' ? a.v - b.v : op === '*' ? a.v * b.v : op === '/' ? a.v / b.v : a.v % b.v;
    if (r < 0n) throw new CelEvalError('uint overflow');
    return new CelUint(r);
  }
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint') && op !== '%') {
    const x = Number(a);
    const y = Number(b);
    return op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y;
  }
  throw new CelEvalError(`no such overload: ${typeName(a)} ${op} ${typeName(b)}`);
}

function evalNode(n: CelNode, env: Env): CelValue {
  switch (n.t) {
    case 'lit': return n.v;
    case 'ident': {
      if (!env.has(n.name)) throw new CelEvalError(`undeclared reference to '${n.name}'`);
      return env.get(n.name) as CelValue;
    }
    case 'select': {
      const o = evalNode(n.obj, env);
      const key = unescapeProperty(n.field);
      if (!isMap(o)) throw new CelEvalError(`no such key: ${key}`);
      if (!Object.prototype.hasOwnProperty.call(o, key)) throw new CelEvalError(`no such key: ${key}`);
      return o[key];
    }
    case 'has': {
      const o = evalNode(n.obj, env);
      if (!isMap(o)) throw new CelEvalError(`invalid type for field selection.`);
      return Object.prototype.hasOwnProperty.call(o, unescapeProperty(n.field));
    }
    case 'index': {
      const o = evalNode(n.obj, env);
      const i = evalNode(n.index, env);
      if (Array.isArray(o)) {
        const idx = typeof i === 'bigint' ? Number(i) : i instanceof CelUint ? Number(i.v) : typeof i === 'number' && Number.isInteger(i) ? i : NaN;
        if (Number.isNaN(idx)) throw new CelEvalError(`unsupported index type '${typeName(i)}' in list`);
        if (idx < 0 || idx >= o.length) throw new CelEvalError(`index out of bounds: ${idx}`);
        return o[idx];
      }
      if (isMap(o)) {
        const k = typeof i === 'string' ? i : String(i instanceof CelUint ? i.v : i);
        if (!Object.prototype.hasOwnProperty.call(o, k)) throw new CelEvalError(`no such key: ${k}`);
        return o[k];
      }
      throw new CelEvalError(`no such overload: ${typeName(o)}[${typeName(i)}]`);
    }
    case 'call': {
      const fn = FUNCTIONS[n.fn];
      if (!fn) throw new CelEvalError(`undeclared reference to '${n.fn}'`);
      const target = n.target ? evalNode(n.target, env) : undefined;
      return fn(target, n.args.map((a) => evalNode(a, env)));
    }
    case 'macro': return evalMacro(n, env);
    case 'unary': {
      const v = evalNode(n.arg, env);
      if (n.op === '!') return !truthy(v, '!_');
      if (typeof v === 'bigint') return checkInt(-v);
      if (typeof v === 'number') return -v;
      if (v instanceof CelDuration) return new CelDuration(-v.ns);
      throw new CelEvalError(`no such overload: -_(${typeName(v)})`);
    }
    case 'binary': return evalBinary(n.op, n.l, n.r, env);
    case 'cond': return truthy(evalNode(n.c, env), '_?_:_') ? evalNode(n.a, env) : evalNode(n.b, env);
    case 'list': return n.items.map((x) => evalNode(x, env));
    case 'map': {
      const out: Record<string, CelValue> = {};
      for (const [k, v] of n.entries) {
        const kv = evalNode(k, env);
        out[typeof kv === 'string' ? kv : String(kv)] = evalNode(v, env);
      }
      return out;
    }
  }
}

function evalBinary(op: string, l: CelNode, r: CelNode, env: Env): CelValue {
  if (op === '||' || op === '&&') {
    const decisive = op === '||';
    let err: unknown;
    let a: boolean | undefined;
    try { a = truthy(evalNode(l, env), op); } catch (e) { err = e; }
    if (a === decisive) return decisive;
    let b: boolean | undefined;
    try { b = truthy(evalNode(r, env), op); } catch (e) { if (err === undefined) err = e; }
    if (b === decisive) return decisive;
    if (err !== undefined) throw err;
    return !decisive;
  }
  const a = evalNode(l, env);
  const b = evalNode(r, env);
  switch (op) {
    case '==': return celEquals(a, b);
    case '!=': return !celEquals(a, b);
    case '<': return compareValues(a, b) < 0;
    case '<=': return compareValues(a, b) <= 0;
    case '>': return compareValues(a, b) > 0;
    case '>=': return compareValues(a, b) >= 0;
    case 'in':
      if (Array.isArray(b)) return b.some((x) => celEquals(a, x));
      if (isMap(b)) return typeof a === 'string' && Object.prototype.hasOwnProperty.call(b, a);
      throw new CelEvalError(`no such overload: ${typeName(a)} in ${typeName(b)}`);
    default: return arith(op, a, b);
  }
}

function evalMacro(n: Extract<CelNode, { t: 'macro' }>, env: Env): CelValue {
  const target = evalNode(n.target, env);
  let items: CelValue[];
  if (Array.isArray(target)) items = target;
  else if (isMap(target)) items = Object.keys(target);
  else throw new CelEvalError(`no such overload: ${typeName(target)}.${n.fn}()`);
  const inner = new Map(env);
  const run = (x: CelValue, body: CelNode): CelValue => { inner.set(n.v, x); return evalNode(body, inner); };
  switch (n.fn) {
    case 'all': {
      let err: unknown;
      for (const x of items) {
        try { if (!truthy(run(x, n.body), 'all')) return false; } catch (e) { err ??= e; }
      }
      if (err !== undefined) throw err;
      return true;
    }
    case 'exists': {
      let err: unknown;
      for (const x of items) {
        try { if (truthy(run(x, n.body), 'exists')) return true; } catch (e) { err ??= e; }
      }
      if (err !== undefined) throw err;
      return false;
    }
    case 'exists_one': return items.filter((x) => truthy(run(x, n.body), 'exists_one')).length === 1;
    case 'filter': return items.filter((x) => truthy(run(x, n.body), 'filter'));
    case 'map': {
      const kept = n.mapFilter ? items.filter((x) => truthy(run(x, n.mapFilter as CelNode), 'map')) : items;
      return kept.map((x) => run(x, n.body));
    }
  }
}

/** Evaluates `node` with the given variables; returns the value or throws CelEvalError. */
export function evaluate(node: CelNode, vars: Record<string, CelValue>): CelValue {
  return evalNode(node, new Map(Object.entries(vars)));
}

export { celSize };
