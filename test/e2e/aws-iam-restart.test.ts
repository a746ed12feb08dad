/**
 * IAM state is durable: users, access keys (with their status), roles and STS sessions created
 * through the aws CLI survive a restart on the same SQLite file — the key created before the
 * restart still signs as its user afterwards, the Inactive one still does not.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsEndpoint } from '../../src/aws/server.js';
import { storeBackedState } from '../../src/aws/core/state.js';
import { createIam } from '../../src/aws/services/iam/iam.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { realClock } from '../../src/util/clock.js';
import { awsCliSkip, cliError, runAws, type AwsRunResult } from '../helpers/aws.js';

const ACCOUNT = '000000000000';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] });

async function boot(file: string): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const store = new SqliteStore({ file, compaction: false });
  const iam = await createIam({
    clock: realClock,
    state: storeBackedState(store), defaultAccountId: ACCOUNT, defaultRegion: 'ap-northeast-2', rootKeys: [{ accessKeyId: 'test', secretAccessKey: 'test' }],
  });
  const ep = new AwsEndpoint({ services: [iam.iam, iam.sts], credentials: iam.backend, port: 0 });
  await ep.start();
  return { endpoint: ep.url, stop: async () => { await ep.stop(); await store.close(); } };
}

function ok(r: AwsRunResult): Record<string, any> {
  assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.json as Record<string, any>;
}

describe('IAM state across a restart', { skip: awsCliSkip }, () => {
  it('users, keys (and their status), roles and sessions survive; the old key still signs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keks-iam-restart-'));
    const file = join(dir, 'keks.db');
    try {
      const first = await boot(file);
      let active: Record<string, string>;
      let inactive: Record<string, string>;
      let session: Record<string, string>;
      try {
        ok(await runAws(['iam', 'create-user', '--user-name', 'dev'], { endpoint: first.endpoint }));
        active = ok(await runAws(['iam', 'create-access-key', '--user-name', 'dev'], { endpoint: first.endpoint })).AccessKey;
        inactive = ok(await runAws(['iam', 'create-access-key', '--user-name', 'dev'], { endpoint: first.endpoint })).AccessKey;
        ok(await runAws(['iam', 'update-access-key', '--user-name', 'dev', '--access-key-id', inactive.AccessKeyId, '--status', 'Inactive'], { endpoint: first.endpoint }));
        ok(await runAws(['iam', 'create-role', '--role-name', 'lab', '--assume-role-policy-document', TRUST], { endpoint: first.endpoint }));
        session = ok(await runAws(['sts', 'assume-role', '--role-arn', `arn:aws:iam::${ACCOUNT}:role/lab`, '--role-session-name', 'before'], { endpoint: first.endpoint })).Credentials;
      } finally {
        await first.stop();
      }
      const second = await boot(file);
      try {
        const endpoint = second.endpoint;
        const [who, off, tmp, role] = await Promise.all([
          runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: active.AccessKeyId, secretAccessKey: active.SecretAccessKey }),
          runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: inactive.AccessKeyId, secretAccessKey: inactive.SecretAccessKey }),
          runAws(['sts', 'get-caller-identity'], { endpoint, accessKeyId: session.AccessKeyId, secretAccessKey: session.SecretAccessKey, sessionToken: session.SessionToken }),
          runAws(['iam', 'get-role', '--role-name', 'lab'], { endpoint }),
        ]);
        assert.equal(ok(who).Arn, `arn:aws:iam::${ACCOUNT}:user/dev`);
        assert.equal(cliError(off)?.code, 'InvalidClientTokenId');
        assert.equal(ok(tmp).Arn, `arn:aws:sts::${ACCOUNT}:assumed-role/lab/before`);
        assert.deepEqual(ok(role).Role.AssumeRolePolicyDocument, JSON.parse(TRUST));
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
