import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cidrContains, intToIpv4, ipv4ToInt, parseCidr } from './cidr.js';

it('cidr: parses, masks and tests membership (IPv4-mapped IPv6 included)', () => {
  const c = parseCidr('10.100.7.9/16');
  assert.ok(c);
  assert.equal(intToIpv4(c.base), '10.100.0.0');
  assert.equal(c.size, 65536);
  assert.ok(cidrContains(c, '10.100.255.255'));
  assert.ok(!cidrContains(c, '10.101.0.0'));
  assert.ok(cidrContains(parseCidr('0.0.0.0/0')!, '::ffff:127.0.0.1'));
  assert.ok(!cidrContains(parseCidr('203.0.113.0/24')!, '127.0.0.1'));
  for (const bad of ['10.0.0.0', '10.0.0.0/33', '10.0.0.256/8', 'a.b.c.d/8', '10.0.0.0/8/1']) assert.equal(parseCidr(bad), undefined, bad);
  assert.equal(ipv4ToInt('255.255.255.255'), 2 ** 32 - 1);
});
