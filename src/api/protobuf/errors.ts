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
