/** Locating generated/openapi from this module, whether run from src/ (tsx) or dist/src/. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findOpenApiDataDir, findPackageRoot } from './data-dir.js';

test('finds the keks package root and its generated/openapi directory', () => {
  const root = findPackageRoot();
  assert.equal((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string }).name, 'keks');
  const dir = findOpenApiDataDir();
  assert.equal(dir, join(root, 'generated', 'openapi'));
  assert.ok(existsSync(join(dir, 'v2.json.gz')));
  assert.ok(existsSync(join(dir, 'v3', 'api', 'v1.json.gz')));
  // The same answer from a module deeper in dist/.
  assert.equal(findPackageRoot(pathToFileURL(join(root, 'dist', 'src', 'apiserver', 'openapi', 'service.js')).href), root);
});

test('outside the package there is no root', () => {
  assert.throws(() => findPackageRoot(pathToFileURL(join(tmpdir(), 'x', 'y.js')).href), /cannot find the keks package root/);
});
