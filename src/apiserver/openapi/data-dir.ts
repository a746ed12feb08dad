/**
 * Locates the committed OpenAPI data files (generated/openapi/ at the package root) at run time.
 * The module may run compiled (dist/src/apiserver/openapi/*.js) or from source through tsx
 * (src/apiserver/openapi/*.ts), so we walk up from this module's URL to the first directory whose
 * package.json is named "keks" instead of counting "..".
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'keks';

/** The keks package root above `fromUrl` (a file: URL or path). Throws when there is none. */
export function findPackageRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fromUrl.startsWith('file:') ? fileURLToPath(fromUrl) : fromUrl);
  for (let i = 0; i < 64; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && readPackageName(pkg) === PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${fromUrl}`);
}

function readPackageName(file: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : undefined;
  } catch {
    return undefined;
  }
}

/** Absolute path of generated/openapi/ in the keks package. */
export function findOpenApiDataDir(fromUrl: string = import.meta.url): string {
  return join(findPackageRoot(fromUrl), 'generated', 'openapi');
}
