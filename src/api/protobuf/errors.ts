/**
 * The one error the protobuf codec throws. `api/` may not import `apimachinery/` (see
 * tools/eslint/import-direction.js), so the HTTP layer maps it: `badRequest(err.message)`
 * (kube-apiserver answers an undecodable body with 400 BadRequest).
 */
export class ProtobufDecodeError extends Error {
  /** HTTP status the request path should answer with. */
  readonly code = 400;
  readonly reason = 'BadRequest';

  constructor(message: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
  }
}

export function isProtobufDecodeError(e: unknown): e is ProtobufDecodeError {
  return e instanceof ProtobufDecodeError;
}

/**
 * A JSON value of the wrong type for its Go field, worded as encoding/json's UnmarshalTypeError
 * (what kube-apiserver's decoder, sigs.k8s.io/json, reports): `json: cannot unmarshal string into
 * Go struct field DeploymentSpec.spec.replicas of type int32` — the innermost Go struct, the JSON
 * path from the object's root (no list indexes), and the target's Go type. The path is filled in
 * on the way out of the recursion.
 */
export class JsonTypeError extends ProtobufDecodeError {
  readonly path: string[] = [];
  struct = '';
  constructor(readonly value: string, public goType: string, readonly elementLevel: boolean) {
    super('');
  }

  /** Called once the path is complete. */
  finish(): this {
    this.message = this.struct
      ? `json: cannot unmarshal ${this.value} into Go struct field ${this.struct}.${this.path.join('.')} of type ${this.goType}`
      : `json: cannot unmarshal ${this.value} into Go value of type ${this.goType}`;
    return this;
  }
}
