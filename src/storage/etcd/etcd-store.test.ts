/**
 * The etcd backend runs the shared storage contract against a real etcd started for this file
 * (testing/etcd-server.ts), each test under its own key prefix, plus the SIGKILL durability
 * check (the writer process is killed, not etcd) and Unavailable mapping. Without an `etcd`
 * binary the file skips locally and fails in CI.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isStorageError } from '../interface.js';
import { runStoreContract } from '../testing/contract.js';
import { killDurabilityCheck } from '../testing/durability.js';
import { etcdBinary, freePort, startEtcd, type EtcdServer } from '../testing/etcd-server.js';
import { EtcdStore } from './etcd-store.js';

const available = etcdBinary() !== null;
if (!available && process.env.CI) throw new Error('etcd binary not found, and CI is set: install etcd-server (apt-get install -y etcd-server)');

if (!available) {
  it('etcd backend', { skip: 'etcd binary not found (apt-get install -y etcd-server, or set ETCD_BIN)' }, () => {});
} else {
  let server: EtcdServer | undefined;
  let n = 0;
  const serverReady = startEtcd().then((s) => (server = s));
  after(async () => {
    await serverReady.catch(() => undefined);
    await server?.stop();
  });
  const open = async (prefix: string) => {
    await serverReady;
    return EtcdStore.connect({ endpoints: [server!.endpoint], prefix, compaction: false });
  };

  runStoreContract('etcd', {
    open: () => open(`/keks-test/${process.pid}/${n++}`),
    reopen: (closed) => open((closed as EtcdStore).prefix),
  });

  describe('etcd backend', () => {
    before(() => serverReady);

    it('keeps every acknowledged write when the writer is SIGKILLed mid-burst', async () => {
      const prefix = `/keks-test/${process.pid}/kill`;
      await killDurabilityCheck({ writerArgs: ['--kind', 'etcd', '--endpoints', server!.endpoint, '--prefix', prefix], open: () => open(prefix) });
    });

    it('keeps stores under different prefixes apart', async () => {
      const a = await open('/keks-test/iso/a');
      const b = await open('/keks-test/iso/b');
      await a.create('/registry/x', 'a');
      assert.equal(await b.get('/registry/x'), null);
      assert.equal(await b.count('/'), 0);
      assert.deepEqual((await a.list('/')).items.map((i) => i.value), ['a']);
      await a.close();
      await b.close();
    });

    it('maps an unreachable etcd to Unavailable', async () => {
      const port = await freePort();
      await assert.rejects(EtcdStore.connect({ endpoints: [`http://127.0.0.1:${port}`], prefix: '/x', compaction: false, requestTimeoutMs: 1500 }), (err) => {
        assert.ok(isStorageError(err, 'Unavailable'), `got ${String(err)}`);
        return true;
      });
    });
  });
}
