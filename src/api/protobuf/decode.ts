/**
 * Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`, sent by kubectl 1.32 for
 * `create <generator>`, `auth can-i`, `create token`, …) → the JSON object the same request would have
 * carried as JSON. Envelope as k8s.io/apimachinery/pkg/runtime/serializer/protobuf: the 4 magic bytes
 * `k8s\0`, then a runtime.Unknown {typeMeta{apiVersion, kind}, raw, contentEncoding, contentType}
 * whose `raw` is the typed object's gogo-protobuf encoding.
 */
import { ProtobufDecodeError } from './errors.js';
import { messageType, typeForKind, UNKNOWN_MESSAGE } from './schema.js';
import { messageToJson, type JsonObject } from './to-json.js';

export { ProtobufDecodeError, isProtobufDecodeError } from './errors.js';

/** `k8s\0`: the prefix of every Kubernetes protobuf payload. */
export const PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);

/** The media type kube-apiserver registers for this encoding. */
export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

/** How many RawExtensions holding protobuf envelopes may nest before the body is refused. */
const MAX_EMBEDDING = 8;

export interface DecodedObject {
  apiVersion: string;
  kind: string;
  /** The object as JSON, `kind` and `apiVersion` first (TypeMeta is the first Go field). */
  object: Record<string, unknown>;
}

interface Envelope {
  typeMeta?: { apiVersion?: string; kind?: string };
  raw?: Uint8Array;
  contentEncoding?: string;
  contentType?: string;
}

function decodeEnvelope(body: Uint8Array, depth: number): DecodedObject {
  if (depth > MAX_EMBEDDING) throw new ProtobufDecodeError('protobuf objects nested too deeply');
  if (body.length < 4 || body[0] !== 0x6b || body[1] !== 0x38 || body[2] !== 0x73 || body[3] !== 0x00) {
    throw new ProtobufDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  let envelope: Envelope;
  try {
    envelope = messageType(UNKNOWN_MESSAGE).decode(body.subarray(4)) as Envelope;
  } catch (e) {
    throw new ProtobufDecodeError(`unable to decode protobuf envelope: ${(e as Error).message}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (!kind) throw new ProtobufDecodeError('Object \'Kind\' is missing in protobuf envelope');
  if (!apiVersion) throw new ProtobufDecodeError('Object \'apiVersion\' is missing in protobuf envelope');
  if (envelope.contentEncoding) throw new ProtobufDecodeError(`unsupported protobuf content encoding ${JSON.stringify(envelope.contentEncoding)}`);
  if (envelope.contentType && envelope.contentType !== PROTOBUF_CONTENT_TYPE) {
    throw new ProtobufDecodeError(`unsupported protobuf content type ${JSON.stringify(envelope.contentType)}`);
  }
  const type = typeForKind(apiVersion, kind);
  let message: object;
  try {
    message = type.decode(envelope.raw ?? new Uint8Array(0));
  } catch (e) {
    throw new ProtobufDecodeError(`unable to decode ${apiVersion} ${kind} from protobuf: ${(e as Error).message}`);
  }
  const fields = messageToJson(type, message, { depth, embedded: (raw, d) => decodeEnvelope(raw, d).object });
  const object: JsonObject = { kind, apiVersion, ...fields };
  return { apiVersion, kind, object };
}

/**
 * Decodes a k8s protobuf body. Throws ProtobufDecodeError (answer 400 BadRequest with its message)
 * for anything malformed, for an unknown apiVersion/kind and for values Go could not represent.
 */
export function decodeProtobufObject(body: Uint8Array): DecodedObject {
  try {
    return decodeEnvelope(body, 0);
  } catch (e) {
    if (e instanceof ProtobufDecodeError) throw e;
    // protobufjs RangeErrors, stack exhaustion on hostile nesting, invalid dates, …
    throw new ProtobufDecodeError(`unable to decode protobuf body: ${(e as Error)?.message ?? String(e)}`);
  }
}
