/**
 * Request bodies: the 3 MiB limit (kube-apiserver's MaxRequestBodyBytes), and decoding JSON,
 * YAML and Kubernetes protobuf into objects, with kube-apiserver's error wording.
 */
import type { IncomingMessage } from 'node:http';
import { yaml } from '../../util/yaml.js';
import type { KubeObject } from '../../api/types.js';
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from '../../apimachinery/errors.js';
import { decodeProtobufObject } from '../../api/protobuf/decode.js';
import { ProtobufDecodeError } from '../../api/protobuf/errors.js';
import { bodyMediaType } from './negotiation.js';

export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

export function readBody(req: IncomingMessage, limit = MAX_REQUEST_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(requestEntityTooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) { failed = true; reject(requestEntityTooLarge(limit)); return; }
      chunks.push(c);
    });
    req.on('end', () => { if (!failed) resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)); });
    req.on('error', (e) => { if (!failed) { failed = true; reject(e); } });
  });
}

export const OBJECT_MEDIA_TYPES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Parses JSON text into a value, with the upstream `json parse error` wording on failure. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

export function parseYamlBody(text: string): unknown {
  try {
    const docs = yaml().parseAllDocuments(text, { uniqueKeys: false });
    const real = Array.isArray(docs) ? docs.filter((d) => d.contents !== null) : [docs];
    if (real.length > 1) throw new Error('multiple YAML documents in one request');
    for (const d of real) if (d.errors.length) throw d.errors[0];
    return yaml().parse(text, { uniqueKeys: false });
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: yaml: ${(e as Error).message}`);
  }
}

function decodeProtobuf(body: Buffer): unknown {
  try {
    return decodeProtobufObject(body).object;
  } catch (e) {
    if (e instanceof ProtobufDecodeError) throw badRequest(e.message);
    throw e;
  }
}

/** Decodes an object body by Content-Type (missing → JSON, as kubectl's `scale` PUT needs). */
export function decodeObjectBody(body: Buffer, contentType: string | undefined): KubeObject {
  const mt = bodyMediaType(contentType);
  let value: unknown;
  if (mt === '' || mt === 'application/json' || mt === '*/*') value = parseJsonBody(body.toString('utf8'));
  else if (mt === 'application/yaml') value = parseYamlBody(body.toString('utf8'));
  else if (mt === 'application/vnd.kubernetes.protobuf') value = decodeProtobuf(body);
  else throw unsupportedMediaType(contentType ?? '', OBJECT_MEDIA_TYPES);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw badRequest(`couldn't get version/kind; json parse error: cannot unmarshal ${Array.isArray(value) ? 'array' : typeof value} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`);
  }
  return value as KubeObject;
}
