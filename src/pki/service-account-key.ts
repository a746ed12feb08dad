/**
 * The cluster's service-account signing key (kube-apiserver's --service-account-key-file /
 * --service-account-signing-key-file): made on first start, persisted as PKCS#8 PEM (mode 0600)
 * next to the CA, reused afterwards so issued tokens stay valid across restarts.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-file.js';

export function loadOrCreateServiceAccountKey(pkiDir: string): string {
  const file = join(pkiDir, 'sa.key');
  if (existsSync(file)) return readFileSync(file, 'utf8');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileAtomic(file, pem, { mode: 0o600 });
  return pem;
}
