/**
 * Crash-safe file replacement: write a temp file beside the target, fsync it, rename it over the
 * target, fsync the directory. A reader (or a restart after a crash) sees either the old bytes or
 * the new bytes, never a truncated file. (kubectl's clientcmd WriteToFile and kubeadm's pkiutil
 * write in place with os.WriteFile; we are stricter because a torn CA key would be unrecoverable.)
 *
 * Used by the cluster PKI and by the kubeconfig writer (src/cli/kubeconfig.ts).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync, constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export interface AtomicWriteOptions {
  /** File mode of the new file (e.g. 0o600 for private keys and kubeconfigs). */
  mode: number;
  /** Mode for any directory created on the way (default 0o700). */
  dirMode?: number;
}

/**
 * Replaces `file` with `data` atomically. Creates missing parent directories with `dirMode`.
 * The temp file is created with O_EXCL and the final mode from the start, so a private key is
 * never readable by others even for an instant.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, opts: AtomicWriteOptions): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: opts.dirMode ?? 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, opts.mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dir);
}

/** fsync a directory so a completed rename survives power loss; best effort (not all platforms allow it). */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Directories cannot be opened/fsynced on some platforms (Windows); the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
