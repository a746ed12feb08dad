// The start-up logger: pino loads on the first line written, and the lines are pino's own
// (name, level, child bindings, message) — checked in a child process writing to its stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const LOG_MODULE = fileURLToPath(new URL('./log.js', import.meta.url));

function run(body: string): { stderr: string; stdout: string } {
  const script = `import { createRequire } from 'node:module';
const { createLogger } = await import(${JSON.stringify(LOG_MODULE)});
const pinoLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\\\/]pino[\\\\/]/.test(k));
${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  return { stderr: r.stderr, stdout: r.stdout };
}

test('below the level nothing loads; the first enabled line loads pino and is a pino line', () => {
  const { stdout, stderr } = run(`
const log = createLogger('info');
const child = log.child({ cluster: 'c1' });
child.debug({ x: 1 }, 'dropped');
console.log('before', pinoLoaded(), log.isLevelEnabled('debug'), log.isLevelEnabled('warn'), child.level);
child.info({ x: 2 }, 'hello');
console.log('after', pinoLoaded());
await new Promise((r) => setTimeout(r, 100));`);
  assert.match(stdout, /before false false true info/);
  assert.match(stdout, /after true/);
  const lines = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 1, stderr);
  assert.equal(lines[0].name, 'keks');
  assert.equal(lines[0].level, 30);
  assert.equal(lines[0].cluster, 'c1');
  assert.equal(lines[0].x, 2);
  assert.equal(lines[0].msg, 'hello');
  assert.match(String(lines[0].time), /^\d{4}-\d\d-\d\dT/);
});

test('a debug logger writes debug lines of children with their bindings', () => {
  const { stderr } = run(`
const log = createLogger('debug');
log.child({ component: 'aws' }).child({ op: 'x' }).debug('deep');
await new Promise((r) => setTimeout(r, 100));`);
  const line = JSON.parse(stderr.trim()) as Record<string, unknown>;
  assert.deepEqual([line.level, line.component, line.op, line.msg], [20, 'aws', 'x', 'deep']);
});
