/**
 * Decoded protobufjs message → the JSON object Go's encoding/json would print for the typed Go
 * object that gogo-protobuf unmarshalled from the same bytes. Rules (Go, not proto3 JSON):
 * - a non-pointer scalar is always on the wire (gogo writes it); `omitempty` drops its zero value,
 *   without `omitempty` the zero value is printed;
 * - a pointer scalar is on the wire only when set, and is printed even when zero;
 * - slices, maps and `[]byte`: empty → omitted with `omitempty`, `null` without;
 * - a non-pointer struct is always printed (omitempty never drops structs), a pointer struct only
 *   when set (`null` without omitempty); `,inline` structs merge into the parent;
 * - Time/MicroTime → RFC3339 (zero → null), Duration → Go string, Quantity → its string,
 *   IntOrString → number or string, RawExtension/FieldsV1 → the embedded JSON, Verbs/ExtraValue → array.
 */
import type protobuf from 'protobufjs';
import { ProtobufDecodeError } from './errors.js';
import { planOf, zeroOf, type FieldPlan, type MessagePlan, type Special } from './plan.js';
import { bytesToBase64, formatDuration, formatMicroTime, formatTime, int64ToNumber, type Int64 } from './well-known.js';

export type JsonObject = Record<string, unknown>;
type Msg = Record<string, unknown>;

/** Decodes a RawExtension payload that is itself a k8s protobuf envelope (set by decode.ts). */
export type EmbeddedDecoder = (raw: Uint8Array, depth: number) => unknown;

export interface ToJsonContext {
  readonly embedded: EmbeddedDecoder;
  readonly depth: number;
}

const EMPTY: Msg = Object.freeze({}) as Msg;
const hasOwn = (m: Msg, k: string): boolean => Object.prototype.hasOwnProperty.call(m, k);
const GO_ZERO_TIME = -62135596800;

function num(v: unknown): number {
  return typeof v === 'number' ? v : int64ToNumber(v as Int64);
}

function scalarJson(plan: FieldPlan, v: unknown): unknown {
  switch (plan.scalar) {
    case 'bytes': return bytesToBase64(v as Uint8Array);
    case 'int64': case 'uint64': return num(v);
    default: return v;
  }
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || (v instanceof Uint8Array && v.length === 0);
}

function rawJson(m: Msg, key: string, ctx: ToJsonContext): unknown {
  const raw = hasOwn(m, key) ? (m[key] as Uint8Array) : undefined;
  if (!raw || raw.length === 0) return null;
  if (raw[0] === 0x6b && raw[1] === 0x38 && raw[2] === 0x73 && raw[3] === 0x00) return ctx.embedded(raw, ctx.depth + 1);
  try {
    return JSON.parse(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8'));
  } catch {
    throw new ProtobufDecodeError('embedded raw object is neither JSON nor a protobuf envelope');
  }
}

function timeJson(m: Msg, micro: boolean): string | null {
  if (!hasOwn(m, 'seconds') && !hasOwn(m, 'nanos')) return null; // zero Time marshals to no bytes
  const seconds = num(m.seconds ?? 0);
  const nanos = num(m.nanos ?? 0);
  if (seconds === GO_ZERO_TIME && nanos === 0) return null;
  return micro ? formatMicroTime(seconds, nanos) : formatTime(seconds, nanos);
}

function specialJson(special: Special, m: Msg, ctx: ToJsonContext): unknown {
  switch (special) {
    case 'time': return timeJson(m, false);
    case 'microtime': return timeJson(m, true);
    case 'duration': return formatDuration((m.duration as Int64 | undefined) ?? 0);
    case 'quantity': return hasOwn(m, 'string') && m.string !== '' ? m.string : '0';
    case 'intstr': return num(m.type ?? 0) === 1 ? (hasOwn(m, 'strVal') ? m.strVal : '') : num(m.intVal ?? 0);
    case 'raw': return rawJson(m, 'raw', ctx);
    case 'fields': return rawJson(m, 'Raw', ctx);
    case 'wrapper': return hasOwn(m, 'items') ? [...(m.items as unknown[])] : [];
  }
}

/** Converts one element (list item, map value or single value) of a message-typed field. */
function messageJson(plan: FieldPlan, m: Msg | null, ctx: ToJsonContext): unknown {
  const msg = m ?? EMPTY;
  if (plan.special) return specialJson(plan.special, msg, ctx);
  const out: JsonObject = {};
  writeFields(planOf(plan.message as protobuf.Type), msg, out, ctx);
  return out;
}

function elementJson(plan: FieldPlan, v: unknown, ctx: ToJsonContext): unknown {
  return plan.message ? messageJson(plan, v as Msg | null, ctx) : scalarJson(plan, v);
}

function writeField(plan: FieldPlan, m: Msg, out: JsonObject, ctx: ToJsonContext): void {
  const has = hasOwn(m, plan.name);
  const v = has ? m[plan.name] : undefined;
  if (plan.container === 'repeated') {
    const list = v as unknown[] | undefined;
    if (list && list.length > 0) out[plan.json] = list.map((e) => elementJson(plan, e, ctx));
    else if (!plan.omitempty) out[plan.json] = null;
    return;
  }
  if (plan.container === 'map') {
    // encoding/json prints map keys sorted (gogo also marshals them sorted).
    const keys = v ? Object.keys(v as object).sort() : [];
    if (keys.length > 0) {
      const o: JsonObject = {};
      for (const k of keys) o[k] = elementJson(plan, (v as Msg)[k], ctx);
      out[plan.json] = o;
    } else if (!plan.omitempty) out[plan.json] = null;
    return;
  }
  if (plan.message) {
    if (plan.inline) writeFields(planOf(plan.message), (v as Msg | undefined) ?? EMPTY, out, ctx);
    else if (plan.special === 'wrapper') {
      // A Go slice type (Verbs): nil when absent.
      if (has) out[plan.json] = specialJson('wrapper', v as Msg, ctx);
      else if (!plan.omitempty) out[plan.json] = null;
    } else if (has || !plan.pointer) out[plan.json] = messageJson(plan, (v as Msg | undefined) ?? null, ctx);
    else if (!plan.omitempty) out[plan.json] = null;
    return;
  }
  if (plan.scalar === 'bytes') {
    // []byte: nil unless on the wire; an empty non-nil slice prints "" (omitempty drops both).
    if (has && (!plan.omitempty || (v as Uint8Array).length > 0)) out[plan.json] = scalarJson(plan, v);
    else if (!has && !plan.omitempty) out[plan.json] = null;
    return;
  }
  if (plan.pointer) {
    if (has) out[plan.json] = scalarJson(plan, v);
    else if (!plan.omitempty) out[plan.json] = null;
    return;
  }
  const value = has ? scalarJson(plan, v) : zeroOf(plan.scalar as NonNullable<FieldPlan['scalar']>);
  if (!(plan.omitempty && isZero(value))) out[plan.json] = value;
}

function writeFields(plan: MessagePlan, m: Msg, out: JsonObject, ctx: ToJsonContext): void {
  for (const f of plan.fields) writeField(f, m, out, ctx);
}

/** The JSON object for a decoded top-level message (without apiVersion/kind). */
export function messageToJson(type: protobuf.Type, message: object, ctx: ToJsonContext): JsonObject {
  const plan = planOf(type);
  if (plan.special) throw new ProtobufDecodeError(`${type.name} is not an object kind`);
  const out: JsonObject = {};
  writeFields(plan, message as Msg, out, ctx);
  return out;
}
