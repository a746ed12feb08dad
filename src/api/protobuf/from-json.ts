/**
 * JSON object → plain object that protobufjs encodes the way gogo-protobuf marshals the Go value:
 * non-pointer scalars and structs are always written (zero when absent), pointers only when set,
 * and the apimachinery types with custom JSON are turned back into their proto shape.
 * The mirror of to-json.ts: `toJson(fromJson(x))` is x in Go's normalised form.
 */
import type protobuf from 'protobufjs';
import { JsonTypeError, ProtobufDecodeError } from './errors.js';
import { planOf, zeroOf, type FieldPlan, type Scalar, type Special } from './plan.js';
import { base64ToBytes, parseDuration, parseTime } from './well-known.js';

type Plain = Record<string, unknown>;


/** encoding/json's word for a JSON value (UnmarshalTypeError.Value). */
function valueWord(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

const GO_SCALARS: Record<Scalar, string> = { string: 'string', bool: 'bool', int32: 'int32', int64: 'int64', uint32: 'uint32', uint64: 'uint64', double: 'float64', float: 'float32', bytes: '[]uint8' };

/** The Go type of one element of the field (reflect.Type.String(): `v1.ServicePort`, `int32`). */
function elementGoType(plan: FieldPlan): string {
  if (plan.message) return `${plan.message.parent?.name ?? ''}.${plan.message.name}`;
  return GO_SCALARS[plan.scalar as Scalar] ?? 'string';
}

function fieldGoType(plan: FieldPlan): string {
  const e = elementGoType(plan);
  return plan.container === 'repeated' ? `[]${e}` : plan.container === 'map' ? `map[string]${e}` : e;
}

function wrongType(plan: FieldPlan, v: unknown, word = valueWord(v)): never {
  throw new JsonTypeError(word, elementGoType(plan), true);
}

/** A custom UnmarshalJSON that first reads a JSON string (metav1.Time, Duration): json.Unmarshal into a string. */
function notAString(v: unknown): never {
  throw new ProtobufDecodeError(`json: cannot unmarshal ${valueWord(v)} into Go value of type string`);
}

const INT_RANGE: Partial<Record<Scalar, [number, number]>> = {
  int32: [-2147483648, 2147483647], uint32: [0, 4294967295], int64: [-Number.MAX_VALUE, Number.MAX_VALUE], uint64: [0, Number.MAX_VALUE],
};

function scalarFromJson(plan: FieldPlan, v: unknown): unknown {
  switch (plan.scalar) {
    case 'string': return typeof v === 'string' ? v : wrongType(plan, v);
    case 'bool': return typeof v === 'boolean' ? v : wrongType(plan, v);
    case 'bytes': return typeof v === 'string' ? base64ToBytes(v) : wrongType(plan, v);
    case 'double': case 'float': return typeof v === 'number' && Number.isFinite(v) ? v : wrongType(plan, v);
    default: {
      if (typeof v !== 'number') wrongType(plan, v);
      const range = INT_RANGE[plan.scalar as Scalar] as [number, number];
      // Go: "number 1.5" / "number 3000000000" when the literal does not fit the integer type.
      if (!Number.isInteger(v) || v < range[0] || v > range[1]) wrongType(plan, v, `number ${String(v)}`);
      return v;
    }
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
      return typeof v === 'string' ? parseTime(v) : notAString(v);
    case 'duration':
      return typeof v === 'string' ? { duration: Number(parseDuration(v)) } : notAString(v);
    case 'quantity':
      // resource.Quantity.UnmarshalJSON parses anything that is not a string as a quantity literal.
      if (typeof v === 'string' || typeof v === 'number') return { string: String(v) };
      throw new ProtobufDecodeError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    case 'intstr':
      if (typeof v === 'number') return { type: 0, intVal: v, strVal: '' };
      // intstr.IntOrString.UnmarshalJSON: not a string → json.Unmarshal into an int32.
      if (typeof v === 'string') return { type: 1, intVal: 0, strVal: v };
      throw new ProtobufDecodeError(`json: cannot unmarshal ${typeof v === 'number' ? `number ${String(v)}` : valueWord(v)} into Go value of type int32`);
    case 'raw': return { raw: jsonBytes(v) };
    case 'fields': return { Raw: jsonBytes(v) };
    case 'wrapper':
      if (!Array.isArray(v)) throw new JsonTypeError(valueWord(v), '[]string', false);
      return { items: v.map((s) => (typeof s === 'string' ? s : wrongType({ ...plan, message: undefined, scalar: 'string' }, s))) };
  }
}

function elementFromJson(plan: FieldPlan, v: unknown): unknown {
  if (!plan.message) return scalarFromJson(plan, v);
  if (plan.special) return specialFromJson(plan.special, plan, v);
  if (v === undefined || v === null) return {};
  return isObject(v) ? messageInner(plan.message, v) : wrongType(plan, v);
}

function readField(plan: FieldPlan, obj: Plain, out: Plain, parent: protobuf.Type): void {
  try {
    readFieldValue(plan, obj, out);
  } catch (e) {
    // On the way out: the innermost struct names the error, every level adds its JSON name.
    if (e instanceof JsonTypeError) {
      if (!e.struct) e.struct = parent.name;
      if (!plan.inline) e.path.unshift(plan.json);
    }
    throw e;
  }
}

function readFieldValue(plan: FieldPlan, obj: Plain, out: Plain): void {
  if (plan.inline && plan.message) {
    out[plan.name] = messageInner(plan.message, obj);
    return;
  }
  const v = obj[plan.json];
  if (plan.container === 'repeated') {
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) throw new JsonTypeError(valueWord(v), fieldGoType(plan), false);
    out[plan.name] = v.map((e) => elementFromJson(plan, e));
    return;
  }
  if (plan.container === 'map') {
    if (v === undefined || v === null) return;
    if (!isObject(v)) throw new JsonTypeError(valueWord(v), fieldGoType(plan), false);
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

function messageInner(type: protobuf.Type, obj: Plain): Plain {
  const out: Plain = {};
  for (const f of planOf(type).fields) readField(f, obj, out, type);
  return out;
}

/** The protobufjs-encodable form of a JSON object of the given message type. */
export function messageFromJson(type: protobuf.Type, obj: Record<string, unknown>): Record<string, unknown> {
  try {
    return messageInner(type, obj);
  } catch (e) {
    if (e instanceof JsonTypeError) e.finish();
    throw e;
  }
}
