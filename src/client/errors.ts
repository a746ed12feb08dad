/** A non-2xx answer from the API server, carrying its metav1.Status. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly reason: string, message: string, readonly body: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404;
}

export function isConflict(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409;
}

export function errorFromResponse(status: number, body: string): ApiError {
  let parsed: { reason?: string; message?: string } = {};
  try { parsed = JSON.parse(body) as typeof parsed; } catch { /* not a Status */ }
  return new ApiError(status, parsed.reason ?? '', parsed.message ?? `HTTP ${status}`, parsed);
}
