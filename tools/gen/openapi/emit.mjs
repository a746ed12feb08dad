// Deterministic writers for generated files: JSON with sorted keys, gzip without timestamps,
// and write-if-changed so an unchanged regeneration touches nothing.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

/** JSON with object keys sorted recursively (arrays keep their order). */
export function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const k of Object.keys(value).sort()) out[k] = sortKeys(value[k]);
  return out;
}

/** Minified, key-sorted JSON bytes: the exact bytes served and hashed. */
export function stableJsonBytes(value) {
  return Buffer.from(JSON.stringify(sortKeys(value)), 'utf8');
}

/** Uppercase hex SHA-512, as kube-openapi handler3 computeETag (fmt "%X" of sha512.Sum512). */
export function etagOf(bytes) {
  return createHash('sha512').update(bytes).digest('hex').toUpperCase();
}

/** gzip at max compression; Node writes a zero mtime, so equal input gives equal output. */
export function gzip(bytes) {
  return gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
}

/** Writes `data` to `file` unless the file already holds exactly those bytes. Returns true when written. */
export function writeIfChanged(file, data) {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (existsSync(file) && readFileSync(file).equals(buf)) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, buf);
  return true;
}

/** Deletes files under `dir` that are not in `keep` (absolute paths); removes emptied folders. */
export function pruneDir(dir, keep) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      pruneDir(p, keep);
      if (readdirSync(p).length === 0) rmSync(p, { recursive: true });
    } else if (!keep.has(p)) rmSync(p);
  }
}
