/**
 * Child process for the restart-durability tests: writes a fast burst of creates (8 in flight)
 * and prints `ack <key>` on stdout as soon as each write's promise resolved, until killed or
 * `--count` writes are done. The parent SIGKILLs it mid-burst and checks every acked key.
 *
 *   node burst-writer.js --kind sqlite --file /tmp/x.db [--count 20000]
 *   node burst-writer.js --kind etcd --endpoints http://127.0.0.1:2379 --prefix /t1 [--count 20000]
 */
import { createStore, type StoreKind } from '../index.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const kind = (arg('kind') ?? 'sqlite') as StoreKind;
  const count = Number(arg('count') ?? 20_000);
  const store = await createStore({
    kind,
    compaction: false,
    ...(arg('file') ? { file: arg('file') } : {}),
    ...(arg('endpoints') ? { etcdEndpoints: arg('endpoints')!.split(',') } : {}),
    ...(arg('prefix') ? { etcdPrefix: arg('prefix') } : {}),
  });
  process.stdout.write('ready\n');
  let next = 0;
  const value = 'x'.repeat(256);
  const worker = async (): Promise<void> => {
    while (next < count) {
      const key = `/burst/${String(next++).padStart(8, '0')}`;
      await store.create(key, value);
      process.stdout.write(`ack ${key}\n`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await store.close();
}

main().catch((err) => {
  process.stderr.write(`burst-writer: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
