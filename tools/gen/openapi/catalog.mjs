// Derives the built-in resource catalog (src/api/resources.ts ResourceSpec/GroupSpec) from the
// paths of the Kubernetes OpenAPI v2 document, the way kube-apiserver's discovery describes the
// same routes (k8s.io/apiserver/pkg/endpoints/installer.go):
//   - verbs come from the operations' x-kubernetes-action (toDiscoveryKubeVerb: post→create,
//     put→update, watch/watchlist→watch; connect operations contribute their HTTP method's verb,
//     HEAD and OPTIONS none), sorted alphabetically as sets.List does;
//   - a resource is namespaced when one of its paths has /namespaces/{namespace}/;
//   - kind from x-kubernetes-group-version-kind; singularName = lowercased kind;
//   - subresources (/{name}/<sub>) carry their own GVK (e.g. deployments/scale → autoscaling/v1 Scale);
//   - resources sorted by name, subresources by name, groups by discovery priority.
import { CATEGORIES, GATED_PATH_SUFFIXES, OMITTED_GROUPS, SERVED_GROUP_VERSIONS, SHORT_NAMES } from './tables.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];
const ACTION_VERB = {
  get: 'get', list: 'list', watch: 'watch', watchlist: 'watch', post: 'create', put: 'update',
  patch: 'patch', delete: 'delete', deletecollection: 'deletecollection',
};
const CONNECT_METHOD_VERB = { get: 'get', post: 'create', put: 'update', patch: 'patch', delete: 'delete' };

/** "apps/v1" → { group: "apps", version: "v1" }; "v1" → core. */
export function splitGroupVersion(gv) {
  const i = gv.indexOf('/');
  return i < 0 ? { group: '', version: gv } : { group: gv.slice(0, i), version: gv.slice(i + 1) };
}

/** True when a default 1.32 server registers this path (feature gates). */
export function isPathServedByDefault(p) {
  return !GATED_PATH_SUFFIXES.some((s) => p.endsWith(s));
}

/**
 * Parses an API path into its parts, or null for non-resource paths.
 * "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale" →
 * { gv: "apps/v1", namespaced: true, resource: "deployments", named: true, sub: "scale" }
 */
export function parseResourcePath(p) {
  const segs = p.split('/').filter(Boolean);
  let gv;
  let rest;
  if (segs[0] === 'api' && segs.length >= 2) { gv = segs[1]; rest = segs.slice(2); }
  else if (segs[0] === 'apis' && segs.length >= 3) { gv = `${segs[1]}/${segs[2]}`; rest = segs.slice(3); }
  else return null;
  if (rest[0] === 'watch') rest = rest.slice(1);
  let namespaced = false;
  if (rest[0] === 'namespaces' && rest[1] === '{namespace}' && rest.length > 2) { namespaced = true; rest = rest.slice(2); }
  if (rest.length === 0) return null;
  const named = rest[1] === '{name}';
  if (rest.length > 1 && !named) return null;
  return { gv, namespaced, resource: rest[0], named, sub: rest[2] ?? null };
}

function verbsOf(item) {
  const verbs = new Set();
  let gvk = null;
  for (const m of METHODS) {
    const op = item[m];
    if (!op) continue;
    const action = op['x-kubernetes-action'];
    const verb = action === 'connect' ? CONNECT_METHOD_VERB[m] : ACTION_VERB[action];
    if (verb) verbs.add(verb);
    gvk ??= op['x-kubernetes-group-version-kind'] ?? null;
  }
  return { verbs, gvk };
}

/**
 * Builds BUILTIN_RESOURCES and BUILTIN_GROUPS from the spec.
 * @returns {{ resources: object[], groups: {name: string, versions: string[]}[], servedGroupVersions: string[] }}
 */
export function buildCatalog(v2) {
  const byKey = new Map(); // "gv|resource" → accumulator
  for (const p of Object.keys(v2.paths).sort()) {
    if (!isPathServedByDefault(p)) continue;
    const parsed = parseResourcePath(p);
    if (!parsed || !SERVED_GROUP_VERSIONS[parsed.gv]) continue;
    const { group, version } = splitGroupVersion(parsed.gv);
    if (OMITTED_GROUPS.includes(group)) continue;
    const key = `${parsed.gv}|${parsed.resource}`;
    let acc = byKey.get(key);
    if (!acc) {
      acc = { group, version, resource: parsed.resource, namespaced: false, verbs: new Set(), kind: null, subs: new Map() };
      byKey.set(key, acc);
    }
    if (parsed.namespaced) acc.namespaced = true;
    const { verbs, gvk } = verbsOf(v2.paths[p]);
    if (parsed.sub) {
      let sub = acc.subs.get(parsed.sub);
      if (!sub) { sub = { verbs: new Set(), gvk: null }; acc.subs.set(parsed.sub, sub); }
      for (const v of verbs) sub.verbs.add(v);
      sub.gvk ??= gvk;
    } else {
      for (const v of verbs) acc.verbs.add(v);
      acc.kind ??= gvk?.kind ?? null;
    }
  }
  const resources = [];
  for (const acc of byKey.values()) {
    if (!acc.kind) throw new Error(`no kind for ${acc.group}/${acc.version} ${acc.resource}`);
    const gr = `${acc.group}/${acc.resource}`;
    resources.push({
      group: acc.group,
      version: acc.version,
      resource: acc.resource,
      kind: acc.kind,
      listKind: `${acc.kind}List`,
      singularName: acc.kind.toLowerCase(),
      namespaced: acc.namespaced,
      verbs: [...acc.verbs].sort(),
      shortNames: SHORT_NAMES[gr] ?? [],
      categories: CATEGORIES[gr] ?? [],
      subresources: [...acc.subs.entries()].sort(([a], [b]) => cmp(a, b)).map(([name, s]) => ({
        name, group: s.gvk.group, version: s.gvk.version, kind: s.gvk.kind, verbs: [...s.verbs].sort(),
      })),
    });
  }
  const gvOrder = orderedGroupVersions().filter((gv) => resources.some((r) => gvString(r) === gv));
  const rank = new Map(gvOrder.map((gv, i) => [gv, i]));
  resources.sort((a, b) => rank.get(gvString(a)) - rank.get(gvString(b)) || cmp(a.resource, b.resource));
  const groups = [];
  for (const gv of gvOrder) {
    const { group, version } = splitGroupVersion(gv);
    let g = groups.find((x) => x.name === group);
    if (!g) { g = { name: group, versions: [] }; groups.push(g); }
    g.versions.push(version);
  }
  return { resources, groups, servedGroupVersions: gvOrder };
}

function gvString(r) {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Served group-versions in discovery order: core first, then group priority desc, name, version priority desc. */
export function orderedGroupVersions() {
  return Object.keys(SERVED_GROUP_VERSIONS)
    .filter((gv) => !OMITTED_GROUPS.includes(splitGroupVersion(gv).group))
    .sort((a, b) => {
      const [ga, va] = SERVED_GROUP_VERSIONS[a];
      const [gb, vb] = SERVED_GROUP_VERSIONS[b];
      const na = splitGroupVersion(a).group;
      const nb = splitGroupVersion(b).group;
      if (na === '' || nb === '') return na === nb ? 0 : na === '' ? -1 : 1;
      return gb - ga || cmp(na, nb) || vb - va;
    });
}
