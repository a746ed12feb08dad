/**
 * Finds etcd's compacted revision. etcd 3.4 has no API that returns it; a watch from revision 1
 * is answered with a cancel carrying compact_revision when history was compacted (and with
 * nothing when it was not), so the probe watches a key nobody writes and waits briefly.
 */
import type { Etcd3, IWatchResponse } from 'etcd3';

/** Resolves the compacted revision, or 0 when etcd reports none within `waitMs`. */
export async function probeCompactedRevision(client: Etcd3, key: Buffer, waitMs = 500): Promise<number> {
  const stream = await client.watchClient.watch();
  try {
    return await new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(0), waitMs);
      stream.on('data', (res: IWatchResponse) => {
        if (res.canceled || Number(res.compact_revision) > 0) {
          clearTimeout(timer);
          resolve(Number(res.compact_revision));
        }
      });
      stream.on('error', () => {
        clearTimeout(timer);
        resolve(0);
      });
      stream.write({ create_request: { key, start_revision: 1 } });
    });
  } finally {
    stream.cancel();
  }
}
