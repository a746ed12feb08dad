/**
 * The STS service definition (query protocol, version 2011-06-15). STS is global: any region
 * in the credential scope is accepted. AssumeRoleWithWebIdentity is the one action the
 * dispatcher serves unsigned (its caller is anonymous).
 */
import type { QueryService } from '../../core/types.js';
import type { StsDirectory, WebIdentityVerifier } from './directory.js';
import { stsActions } from './sts-actions.js';

export const STS_VERSION = '2011-06-15';
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface StsOptions {
  directory: StsDirectory;
  now: () => number;
  verifyWebIdentityToken?: WebIdentityVerifier;
}

export function createStsService(opts: StsOptions): QueryService {
  return { protocol: 'query', signingName: 'sts', version: STS_VERSION, xmlns: STS_XMLNS, actions: stsActions(opts) };
}

export type { StsDirectory, StsRole, StsOidcProvider, StsSession, WebIdentityClaims, WebIdentityVerifier } from './directory.js';
