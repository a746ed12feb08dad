/**
 * Restart durability check shared by the durable backends: spawn burst-writer.ts, let it
 * acknowledge some writes, SIGKILL it mid-burst (no chance to flush or close), reopen the
 * store and assert every acknowledged key is present. Works from source (tsx) and from dist.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Store } from '../interface.js';

export interface KillCheckOptions {
  /** Arguments for burst-writer (backend selection). */
  writerArgs: string[];
  /** Opens the store the writer wrote to (after the kill). */
  open: () => Promise<Store>;
  /** Kill after this many acks (default 300). */
  killAfter?: number;
}

/** The command that runs a sibling script the way this file itself runs (tsx for .ts). */
export function scriptCommand(name: string): { cmd: string; args: string[] } {
  const self = fileURLToPath(import.meta.url);
  const ts = self.endsWith('.ts');
  const file = fileURLToPath(new URL(`./${name}.${ts ? 'ts' : 'js'}`, import.meta.url));
  return { cmd: process.execPath, args: ts ? ['--import', 'tsx', file] : [file] };
}

export async function killDurabilityCheck(o: KillCheckOptions): Promise<void> {
  const { cmd, args } = scriptCommand('burst-writer');
  const child = spawn(cmd, [...args, ...o.writerArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked: string[] = [];
  let buf = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killAfter = o.killAfter ?? 300;
  const done = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`burst-writer acked only ${acked.length} writes in 30 s; stderr: ${stderr}`));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop()!; // a partial last line is not an acknowledgement
      for (const l of lines) if (l.startsWith('ack ')) acked.push(l.slice(4));
      if (acked.length >= killAfter && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`burst-writer exited (code ${code}) before it was killed; stderr: ${stderr}`));
    });
  });
  await done;
  assert.ok(acked.length >= killAfter);
  const s = await o.open();
  try {
    const missing: string[] = [];
    for (const key of acked) if (!(await s.get(key))) missing.push(key);
    assert.deepEqual(missing, [], `${missing.length} of ${acked.length} acknowledged writes lost`);
    const all = await s.list('/burst/');
    assert.ok(all.items.length >= acked.length);
  } finally {
    await s.close();
  }
}
