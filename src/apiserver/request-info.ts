/**
 * What a request is about, from its method, path and query — as
 * k8s.io/apiserver/pkg/endpoints/request/requestinfo.go RequestInfoFactory does it:
 *   /api/v1/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/namespaces/{ns}/{resource}/{name}/{subresource}
 * and the verb (get, list, watch, create, update, patch, delete, deletecollection).
 */

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Kubernetes verb for resource requests; lowercased HTTP method otherwise. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = {
    isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '',
    namespace: '', resource: '', subresource: '', name: '', parts: [],
  };
  const segs = path.replace(/^\/+|\/+$/g, '').split('/').filter((s) => s !== '');
  if (segs.length === 0) return info;
  const prefix = segs[0];
  if (prefix !== 'api' && prefix !== 'apis') return info;
  info.apiPrefix = prefix;
  let cur = segs.slice(1);
  if (prefix === 'apis') {
    if (cur.length < 1) return info;
    info.apiGroup = cur[0];
    cur = cur.slice(1);
  }
  if (cur.length < 1) return info;
  info.apiVersion = cur[0];
  cur = cur.slice(1);
  if (cur.length < 1) return info; // discovery of a group version
  info.isResourceRequest = true;
  switch (method) {
    case 'POST': info.verb = 'create'; break;
    case 'GET': case 'HEAD': info.verb = 'get'; break;
    case 'PUT': info.verb = 'update'; break;
    case 'PATCH': info.verb = 'patch'; break;
    case 'DELETE': info.verb = 'delete'; break;
    default: info.verb = '';
  }
  // /namespaces/{ns}/{resource}... (but /namespaces and /namespaces/{name}[/status|finalize] are the namespace resource)
  if (cur[0] === 'namespaces' && cur.length > 1) {
    info.namespace = cur[1];
    if (cur.length > 2 && !NAMESPACE_SUBRESOURCES.has(cur[2])) cur = cur.slice(2);
  } else {
    info.namespace = '';
  }
  info.parts = cur;
  if (cur.length >= 3) info.subresource = cur[2];
  if (cur.length >= 2) info.name = cur[1];
  if (cur.length >= 1) info.resource = cur[0];
  if (cur.length >= 4) info.subresource = cur.slice(2).join('/');
  // namespaces/{name} itself: the "namespace" is the object's own name.
  if (info.resource === 'namespaces') info.namespace = info.name;
  if (info.name === '' && info.verb === 'get') {
    const w = query.get('watch');
    info.verb = w === 'true' || w === '1' ? 'watch' : 'list';
  } else if (info.verb === 'get') {
    const w = query.get('watch');
    if (w === 'true' || w === '1') info.verb = 'watch';
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';
  return info;
}
