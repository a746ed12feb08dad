// `keks lb`: reads the listener files under KEKS_HOME/load-balancers, skips those of a keks that
// is gone, prints a table (or JSON).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lbCommand } from './lb.js';

test('lists hostname → local address of running keks processes only', () => {
  const home = mkdtempSync(join(tmpdir(), 'keks-lb-cli-'));
  try {
    let out = '';
    const cap = (s: string): void => { out += s; };
    assert.equal(lbCommand(['--home', home], cap), 0);
    assert.match(out, /No load balancers found/);
    mkdirSync(join(home, 'load-balancers'));
    const listener = { hostname: 'k8s-default-echo-0123456789-0123456789abcdef.elb.us-east-1.amazonaws.com', port: 80, protocol: 'TCP', local: '127.0.0.1:40001', owner: 'Service default/echo', type: 'network', loadBalancerName: 'k8s-default-echo-0123456789' };
    writeFileSync(join(home, 'load-balancers', 'keks.json'), JSON.stringify({ cluster: 'keks', pid: process.pid, listeners: [listener] }));
    writeFileSync(join(home, 'load-balancers', 'gone.json'), JSON.stringify({ cluster: 'gone', pid: 2 ** 22 + 12345, listeners: [{ ...listener, hostname: 'stale.example' }] }));
    out = '';
    assert.equal(lbCommand([`--home=${home}`], cap), 0);
    assert.deepEqual(out.trimEnd().split('\n'), [
      'HOSTNAME                                                                   PORT     LOCAL ADDRESS     OWNER',
      'k8s-default-echo-0123456789-0123456789abcdef.elb.us-east-1.amazonaws.com   80/TCP   127.0.0.1:40001   Service default/echo',
    ]);
    out = '';
    assert.equal(lbCommand(['--home', home, '-o', 'json'], cap), 0);
    assert.deepEqual((JSON.parse(out) as Array<{ cluster: string; local: string }>).map((r) => [r.cluster, r.local]), [['keks', '127.0.0.1:40001']]);
    out = '';
    assert.equal(lbCommand(['--bogus'], cap), 2);
    assert.match(out, /unexpected argument "--bogus"/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
