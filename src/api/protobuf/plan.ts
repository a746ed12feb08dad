/**
 * Per-message field plans: what Go's encoding/json does with each proto field of a k8s type.
 * The facts come from the generated descriptor's options (tools/gen/proto.mjs copies them from the
 * Go struct tags): `go` = p (pointer) o (omitempty, the default) i (`json:",inline"`) x (`json:"-"`)
 * or `-` (none of them); `json` = the JSON name when it differs; message option `k8s` marks the
 * apimachinery types with custom JSON (Time, Quantity, IntOrString, RawExtension, …) and the
 * `+protobuf.nullable=true` slice wrappers (meta/v1 Verbs, ExtraValue). Plans are built once per type.
 */
import type protobuf from 'protobufjs';
import { isMessageType } from './schema.js';

export type Special = 'time' | 'microtime' | 'duration' | 'fields' | 'quantity' | 'intstr' | 'raw' | 'wrapper';

export type Scalar = 'string' | 'bool' | 'int32' | 'int64' | 'uint32' | 'uint64' | 'double' | 'float' | 'bytes';

export interface FieldPlan {
  /** Property name on protobufjs messages (the proto field name). */
  readonly name: string;
  /** JSON property name (unused when inline). */
  readonly json: string;
  readonly container: 'single' | 'repeated' | 'map';
  /** Element type: a scalar or, for messages, the message type. */
  readonly scalar: Scalar | undefined;
  readonly message: protobuf.Type | undefined;
  /** Custom JSON of the element message, if any. */
  readonly special: Special | undefined;
  readonly pointer: boolean;
  readonly omitempty: boolean;
  readonly inline: boolean;
}

export interface MessagePlan {
  readonly type: protobuf.Type;
  readonly special: Special | undefined;
  /** Fields in Go declaration order (the order encoding/json prints), `json:"-"` fields dropped. */
  readonly fields: readonly FieldPlan[];
}

const plans = new WeakMap<protobuf.Type, MessagePlan>();

export function specialOf(type: protobuf.Type): Special | undefined {
  return type.options?.k8s as Special | undefined;
}

function fieldPlan(field: protobuf.Field, goKnown: boolean): FieldPlan | undefined {
  field.resolve();
  const opts = field.options ?? {};
  // Without Go facts (a handful of alias/empty types): print what is present, as if pointer+omitempty.
  const flags: string = goKnown ? (typeof opts.go === 'string' ? opts.go : 'o') : (opts.go as string | undefined) ?? 'po';
  if (flags.includes('x')) return undefined;
  const message = isMessageType(field.resolvedType) ? field.resolvedType : undefined;
  return {
    name: field.name,
    json: typeof opts.json === 'string' ? opts.json : field.name,
    container: field.map ? 'map' : field.repeated ? 'repeated' : 'single',
    scalar: message ? undefined : (field.type as Scalar),
    message,
    special: message ? specialOf(message) : undefined,
    pointer: flags.includes('p'),
    omitempty: flags.includes('o'),
    inline: flags.includes('i'),
  };
}

/** The (cached) plan for a message type. */
export function planOf(type: protobuf.Type): MessagePlan {
  let plan = plans.get(type);
  if (plan) return plan;
  const goKnown = type.options?.go !== undefined;
  let fields = type.fieldsArray;
  const order = type.options?.order;
  if (typeof order === 'string') {
    const rank = new Map(order.split(',').map((n, i) => [n, i]));
    fields = [...fields].sort((a, b) => (rank.get(a.name) ?? 1e9) - (rank.get(b.name) ?? 1e9));
  }
  plan = {
    type,
    special: specialOf(type),
    fields: fields.map((f) => fieldPlan(f, goKnown)).filter((f): f is FieldPlan => f !== undefined),
  };
  plans.set(type, plan);
  return plan;
}

/** Go zero value of a scalar as encoding/json prints it. */
export function zeroOf(scalar: Scalar): string | number | boolean {
  switch (scalar) {
    case 'string': return '';
    case 'bool': return false;
    case 'bytes': return '';
    default: return 0;
  }
}
