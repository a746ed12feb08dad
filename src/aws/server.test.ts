// AwsEndpoint with a services loader: nothing loads before the first request, the loader runs
// once for concurrent first requests, and a failed load answers 500 and is retried next time.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AwsEndpoint } from './server.js';
import { staticCredentials } from './core/credentials.js';
import type { AwsService } from './core/types.js';

const STS: AwsService = {
  protocol: 'query', signingName: 'sts', version: '2011-06-15', xmlns: 'https://sts.amazonaws.com/doc/2011-06-15/',
  actions: { AssumeRoleWithWebIdentity: () => ({ Ok: 'yes' }) },
};
// Unsigned AssumeRoleWithWebIdentity reaches the action without credentials.
const CALL = '/?Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn:aws:iam::000000000000:role/r&RoleSessionName=s&WebIdentityToken=t';

async function withEndpoint(load: () => Promise<AwsService[]>, body: (url: string) => Promise<void>): Promise<void> {
  const ep = new AwsEndpoint({ services: load, port: 0, credentials: staticCredentials([]) });
  await ep.start();
  try { await body(ep.url); } finally { await ep.stop(); }
}

describe('AwsEndpoint services loader', () => {
  it('loads the services once, on the first request', async () => {
    let loads = 0;
    await withEndpoint(async () => { loads++; return [STS]; }, async (url) => {
      assert.equal(loads, 0, 'nothing is loaded by start()');
      const answers = await Promise.all([fetch(url + CALL), fetch(url + CALL), fetch(url + CALL)]);
      for (const r of answers) {
        assert.equal(r.status, 200);
        assert.match(await r.text(), /<Ok>yes<\/Ok>/);
      }
      assert.equal(loads, 1);
    });
  });

  it('answers 500 when loading fails, and loads again on the next request', async () => {
    let loads = 0;
    await withEndpoint(async () => { if (++loads === 1) throw new Error('boom'); return [STS]; }, async (url) => {
      const first = await fetch(url + CALL);
      assert.equal(first.status, 500);
      await first.text();
      const second = await fetch(url + CALL);
      assert.equal(second.status, 200);
      await second.text();
      assert.equal(loads, 2);
    });
  });
});
