// ESLint rule: imports flow one way (docs/architecture.md, "Layers").
// A file in layer L may import only from the layers listed for L. The composition root
// (src/main.ts, src/cli, src/cluster, src/testing) may import anything.
import path from 'node:path';

const SRC = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../src');

/** Which top-level folders under src/ each folder may import from (besides itself). */
export const ALLOWED = {
  util: [],
  api: ['util'],
  apimachinery: ['util', 'api'],
  config: ['util', 'apimachinery'],
  storage: ['util', 'apimachinery'],
  registry: ['util', 'api', 'apimachinery', 'storage'],
  admission: ['util', 'api', 'apimachinery', 'registry'],
  auth: ['util', 'api', 'apimachinery', 'pki'],
  pki: ['util'],
  observability: ['util'],
  apiserver: ['util', 'api', 'apimachinery', 'registry', 'admission', 'auth', 'observability', 'pki'],
  client: ['util', 'api', 'apimachinery'],
  controllers: ['util', 'api', 'apimachinery', 'client'],
  scheduler: ['util', 'api', 'apimachinery', 'client'],
  simulator: ['util', 'api', 'apimachinery', 'client'],
  addons: ['util', 'api', 'apimachinery', 'client', 'aws', 'pki'],
  aws: ['util', 'api', 'apimachinery', 'pki', 'observability', 'client', 'storage'],
};
const ROOTS = new Set(['main.ts', 'cli', 'cluster', 'testing']);

function layerOf(file) {
  const rel = path.relative(SRC, file);
  if (rel.startsWith('..')) return null;
  return rel.split(path.sep)[0];
}

export default {
  meta: { type: 'problem', schema: [], messages: { dir: "'{{from}}' must not import from '{{to}}' (imports flow one way; see docs/architecture.md)" } },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const from = layerOf(filename);
    if (!from || ROOTS.has(from)) return {};
    function check(node) {
      const spec = node.source && node.source.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = layerOf(path.resolve(path.dirname(filename), spec));
      if (!to || to === from) return;
      const ok = ALLOWED[from];
      if (ok && ok.includes(to)) return;
      context.report({ node: node.source, messageId: 'dir', data: { from, to } });
    }
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
