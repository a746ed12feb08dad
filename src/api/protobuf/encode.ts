/**
 * JSON object → Kubernetes protobuf envelope (`k8s\0` + runtime.Unknown), the inverse of
 * decodeProtobufObject: what a Go client (kubectl 1.32) would send for the same typed object.
 * Used by tests now and by protobuf responses later.
 */
import { PROTOBUF_MAGIC } from './decode.js';
import { ProtobufDecodeError } from './errors.js';
import { messageFromJson } from './from-json.js';
import { messageType, typeForKind, UNKNOWN_MESSAGE } from './schema.js';

/** Encodes `obj` (its own apiVersion/kind are ignored in favour of the arguments). */
export function encodeProtobufObject(apiVersion: string, kind: string, obj: Record<string, unknown>): Uint8Array {
  const type = typeForKind(apiVersion, kind);
  let raw: Uint8Array;
  try {
    raw = type.encode(messageFromJson(type, obj)).finish();
  } catch (e) {
    if (e instanceof ProtobufDecodeError) throw e;
    throw new ProtobufDecodeError(`unable to encode ${apiVersion} ${kind} as protobuf: ${(e as Error).message}`);
  }
  const envelope = messageType(UNKNOWN_MESSAGE).encode({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' }).finish();
  const out = new Uint8Array(PROTOBUF_MAGIC.length + envelope.length);
  out.set(PROTOBUF_MAGIC, 0);
  out.set(envelope, PROTOBUF_MAGIC.length);
  return out;
}
