/**
 * IAM OpenID Connect identity providers (what `eksctl utils associate-iam-oidc-provider` and the
 * IRSA guides create for a cluster's `identity.oidc.issuer`): Create, Get, List, Delete, Tag.
 * The ARN is arn:aws:iam::A:oidc-provider/<host+path> (scheme dropped, as IAM stores the Url).
 */
import type { AwsRequestContext, QueryHandler, QueryParams } from '../../core/types.js';
import { accountOf, mergeTags, nowIso, readTags } from './common.js';
import { entityAlreadyExists, invalidInput, limitExceeded, noSuchEntity, validationError } from './errors.js';
import type { IamState } from './iam-state.js';
import { tagsXml, type OidcProviderDoc } from './model.js';
import { ARN, validate } from './validate.js';

/** host+path of an issuer URL: https://oidc.eks.r.amazonaws.com/id/X → oidc.eks.r.amazonaws.com/id/X. */
export function providerUrl(url: string): string {
  return url.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

function tableId(accountId: string, url: string): string {
  return `${accountId}:${url.toLowerCase()}`;
}

function providerByArn(s: IamState, params: QueryParams, ctx: AwsRequestContext): OidcProviderDoc {
  const arn = params.required('OpenIDConnectProviderArn');
  validate(['openIDConnectProviderArn', arn, ARN]);
  const m = /^arn:aws:iam::(\d{12}):oidc-provider\/(.+)$/.exec(arn);
  if (!m) throw invalidInput(`ARN ${arn} is not valid.`);
  const doc = m[1] === accountOf(ctx) ? s.oidc.get(tableId(m[1], m[2])) : undefined;
  if (!doc) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
  return doc;
}

export function oidcActions(s: IamState): Record<string, QueryHandler> {
  return {
    async CreateOpenIDConnectProvider(params, ctx) {
      const raw = params.required('Url');
      validate(['url', raw, { min: 1, max: 255 }]);
      let parsed: URL;
      try { parsed = new URL(raw); } catch { throw validationError('Invalid Open ID Connect Provider URL'); }
      if (parsed.protocol !== 'https:' || !parsed.hostname) throw validationError('Invalid Open ID Connect Provider URL');
      const clientIds = params.list('ClientIDList');
      const thumbprints = params.list('ThumbprintList');
      if (thumbprints.length > 5) throw invalidInput('Thumbprint list must contain fewer than 5 entries.');
      for (const t of thumbprints) validate(['thumbprintList.member', t, { min: 40, max: 40 }]);
      if (clientIds.length > 100) throw limitExceeded('ClientIdsPerOpenIdConnectProvider', 100);
      for (const c of clientIds) validate(['clientIDList.member', c, { min: 1, max: 255 }]);
      const tags = readTags(params);
      const account = accountOf(ctx);
      const url = providerUrl(raw);
      if (s.oidc.has(tableId(account, url))) throw entityAlreadyExists(`Provider with url https://${url} already exists.`);
      const doc: OidcProviderDoc = {
        accountId: account, url, arn: `arn:aws:iam::${account}:oidc-provider/${url}`, clientIds, thumbprints,
        createDate: nowIso(s.now()), tags,
      };
      await s.oidc.put(tableId(account, url), doc);
      return { OpenIDConnectProviderArn: doc.arn, Tags: tagsXml(tags) };
    },

    GetOpenIDConnectProvider(params, ctx) {
      const d = providerByArn(s, params, ctx);
      return { Url: d.url, ClientIDList: d.clientIds, ThumbprintList: d.thumbprints, CreateDate: new Date(d.createDate), Tags: tagsXml(d.tags) };
    },

    ListOpenIDConnectProviders(_params, ctx) {
      const account = accountOf(ctx);
      return { OpenIDConnectProviderList: s.oidc.values().filter((d) => d.accountId === account).map((d) => ({ Arn: d.arn })) };
    },

    async DeleteOpenIDConnectProvider(params, ctx) {
      const d = providerByArn(s, params, ctx);
      await s.oidc.delete(tableId(d.accountId, d.url));
    },

    async TagOpenIDConnectProvider(params, ctx) {
      const d = providerByArn(s, params, ctx);
      await s.oidc.put(tableId(d.accountId, d.url), { ...d, tags: mergeTags(d.tags, readTags(params)) });
    },
  };
}

/** Issuer URLs (https://host/path) of an account's providers. */
export function oidcIssuers(s: IamState, accountId: string): string[] {
  return s.oidc.values().filter((d) => d.accountId === accountId).map((d) => `https://${d.url}`);
}

/** The provider of `issuer` in `accountId`, if IAM has one. */
export function oidcProviderFor(s: IamState, accountId: string, issuer: string): OidcProviderDoc | undefined {
  return s.oidc.get(tableId(accountId, providerUrl(issuer)));
}
