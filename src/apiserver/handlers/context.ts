/** Everything a resource handler needs about one request. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UserInfo } from '../../api/user.js';
import type { Clock } from '../../util/clock.js';
import type { Registry, ServedResource } from '../../registry/registry.js';
import type { AdmissionChain } from '../../admission/chain.js';
import type { RequestInfo } from '../request-info.js';
import type { ServiceAccountTokens } from '../../auth/authn/serviceaccount/tokens.js';

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  info: RequestInfo;
  user: UserInfo;
  served: ServedResource;
  registry: Registry;
  admission: AdmissionChain;
  clock: Clock;
  /** The cluster's service-account token issuer (serviceaccounts/token). */
  serviceAccountTokens?: ServiceAccountTokens;
  /** Resolves when the request body has been read (for writes). */
  body?: Buffer;
}

/** `dryRun=All` (the only value kube accepts). */
export function isDryRun(query: URLSearchParams): boolean {
  const vals = query.getAll('dryRun');
  return vals.length > 0 && vals.every((v) => v === 'All');
}
