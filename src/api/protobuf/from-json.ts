/**
 * JSON object → plain object that protobufjs encodes the way gogo-protobuf marshals the Go value:
 * non-pointer scalars and structs are always written (zero when absent), pointers only when set,
 * and the apimachinery types with custom JSON are turned back into their proto shape.
 * The mirror of to-json.ts: `toJson(fromJson(x))` is x in Go's normalised form.
 */
import type protobuf from 'protobufjs';
import { ProtobufDecodeError } from './errors.js';
import { planOf, zeroOf, type FieldPlan, type Special } from './plan.js';
import { base64ToBytes, parseDuration, parseTime } from './well-known.js';

type Plain = Record<string, unknown>;

function fail(plan: FieldPlan, want: string, v: unknown): never {
  throw new ProtobufDecodeError(`field ${plan.json}: expected ${want}, got ${v === null ? 'null' : typeof v}`);
}

function scalarFromJson(plan: FieldPlan, v: unknown): unknown {
  switch (plan.scalar) {
    case 'string': return typeof v === 'string' ? v : fail(plan, 'string', v);
    case 'bool': return typeof v === 'boolean' ? v : fail(plan, 'boolean', v);
    case 'bytes': return typeof v === 'string' ? base64ToBytes(v) : fail(plan, 'base64 string', v);
    default: return typeof v === 'number' && Number.isFinite(v) ? v : fail(plan, 'number', v);
  }
}

function isObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonBytes(v: unknown): Uint8Array | undefined {
  return v === undefined || v === null ? undefined : Buffer.from(JSON.stringify(v), 'utf8');
}

function specialFromJson(special: Special, plan: FieldPlan, v: unknown): Plain {
  if (v === undefined || v === null) return special === 'intstr' ? { type: 0, intVal: 0, strVal: '' } : {};
  switch (special) {
    case 'time': case 'microtime':
      return typeof v === 'string' ? parseTime(v) : fail(plan, 'RFC3339 string', v);
    case 'duration':
      return typeof v === 'string' ? { duration: Number(parseDuration(v)) } : fail(plan, 'duration string', v);
    case 'quantity':
      return typeof v === 'string' || typeof v === 'number' ? { string: String(v) } : fail(plan, 'quantity', v);
    case 'intstr':
      if (typeof v === 'number') return { type: 0, intVal: v, strVal: '' };
      return typeof v === 'string' ? { type: 1, intVal: 0, strVal: v } : fail(plan, 'integer or string', v);
    case 'raw': return { raw: jsonBytes(v) };
    case 'fields': return { Raw: jsonBytes(v) };
    case 'wrapper':
      return Array.isArray(v) ? { items: v.map((s) => (typeof s === 'string' ? s : fail(plan, 'string', s))) } : fail(plan, 'array', v);
  }
}

function elementFromJson(plan: FieldPlan, v: unknown): unknown {
  if (!plan.message) return scalarFromJson(plan, v);
  if (plan.special) return specialFromJson(plan.special, plan, v);
  if (v === undefined || v === null) return {};
  return isObject(v) ? messageFromJson(plan.message, v) : fail(plan, 'object', v);
}

function readField(plan: FieldPlan, obj: Plain, out: Plain): void {
  if (plan.inline && plan.message) {
    out[plan.name] = messageFromJson(plan.message, obj);
    return;
  }
  const v = obj[plan.json];
  if (plan.container === 'repeated') {
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) fail(plan, 'array', v);
    out[plan.name] = v.map((e) => elementFromJson(plan, e));
    return;
  }
  if (plan.container === 'map') {
    if (v === undefined || v === null) return;
    if (!isObject(v)) fail(plan, 'object', v);
    const m: Plain = {};
    // gogo marshals map entries in sorted key order.
    for (const k of Object.keys(v).sort()) m[k] = elementFromJson(plan, v[k]);
    out[plan.name] = m;
    return;
  }
  if (plan.special === 'wrapper' || plan.pointer || plan.scalar === 'bytes') {
    // Go writes pointers, slices and []byte only when non-nil.
    if (v !== undefined && v !== null) out[plan.name] = elementFromJson(plan, v);
    return;
  }
  // Non-pointer scalars and structs: gogo always writes them.
  out[plan.name] = v === undefined || v === null
    ? (plan.message ? elementFromJson(plan, undefined) : zeroOf(plan.scalar as NonNullable<FieldPlan['scalar']>))
    : elementFromJson(plan, v);
}

/** The protobufjs-encodable form of a JSON object of the given message type. */
export function messageFromJson(type: protobuf.Type, obj: Record<string, unknown>): Record<string, unknown> {
  const out: Plain = {};
  for (const f of planOf(type).fields) readField(f, obj, out);
  return out;
}
