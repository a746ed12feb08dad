/** Writing responses: objects (JSON/YAML), Status errors, and the shared headers. */
import type { ServerResponse } from 'node:http';
import { yaml } from '../../util/yaml.js';
import { StatusError, internalError } from '../../apimachinery/errors.js';

export function writeJsonText(res: ServerResponse, code: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) { res.end(); return; }
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function writeObject(res: ServerResponse, code: number, obj: unknown, format: 'json' | 'yaml' = 'json', headers: Record<string, string> = {}): void {
  if (format === 'yaml') {
    const text = yaml().stringify(obj);
    if (res.headersSent) { res.end(); return; }
    res.writeHead(code, { 'Content-Type': 'application/yaml', 'Content-Length': Buffer.byteLength(text), ...headers });
    res.end(text);
    return;
  }
  writeJsonText(res, code, JSON.stringify(obj), headers);
}

export function toStatusError(err: unknown): StatusError {
  return err instanceof StatusError ? err : internalError(err);
}

export function writeError(res: ServerResponse, err: unknown): StatusError {
  const se = toStatusError(err);
  writeJsonText(res, se.code, JSON.stringify(se.toStatus()), se.headers ?? {});
  return se;
}

/** `Warning: 299 - "text"` headers, as kube-apiserver sends them (k8s.io/apiserver/pkg/warning). */
export function warningHeaders(warnings: string[]): Record<string, string> | Record<string, string[]> {
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } as unknown as Record<string, string>;
}
