import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyV2Header, readProxyHeader } from './proxy-protocol.js';

test('a v2 header for TCP over IPv4 is the spec\'s 28 bytes', () => {
  const h = proxyV2Header({ sourceIp: '::ffff:127.0.0.1', sourcePort: 51234, destinationIp: '192.168.17.9', destinationPort: 80 });
  assert.equal(h.toString('hex'), [
    '0d0a0d0a000d0a515549540a', // signature
    '21', '11', '000c', // v2 PROXY, AF_INET STREAM, 12 address bytes
    '7f000001', 'c0a81109', // 127.0.0.1 → 192.168.17.9
    'c822', '0050', // 51234 → 80
  ].join(''));
});

test('v2 headers read back, IPv4 and IPv6, and the stream after them is untouched', () => {
  const h = proxyV2Header({ sourceIp: '10.0.0.7', sourcePort: 40000, destinationIp: '192.168.1.2', destinationPort: 443 });
  const r = readProxyHeader(Buffer.concat([h, Buffer.from('GET / HTTP/1.1\r\n')]));
  assert.deepEqual(r, { kind: 'header', length: 28, endpoints: { sourceIp: '10.0.0.7', sourcePort: 40000, destinationIp: '192.168.1.2', destinationPort: 443 } });
  const h6 = proxyV2Header({ sourceIp: '2001:db8::1', sourcePort: 1, destinationIp: '10.0.0.1', destinationPort: 2 });
  const r6 = readProxyHeader(h6);
  assert.equal(r6.kind, 'header');
  assert.deepEqual(r6.kind === 'header' && r6.endpoints, { sourceIp: '2001:db8:0:0:0:0:0:1', sourcePort: 1, destinationIp: '::ffff:10.0.0.1', destinationPort: 2 });
  assert.equal(r6.kind === 'header' && r6.length, 52);
});

test('v1 text headers, partial input, and plain requests', () => {
  assert.deepEqual(readProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4 5.6.7.8 1111 80\r\nGET /')),
    { kind: 'header', length: 36, endpoints: { sourceIp: '1.2.3.4', destinationIp: '5.6.7.8', sourcePort: 1111, destinationPort: 80 } });
  assert.deepEqual(readProxyHeader(Buffer.from('PROXY UNKNOWN\r\n')), { kind: 'header', length: 15 });
  assert.deepEqual(readProxyHeader(Buffer.from('PROX')), { kind: 'incomplete' });
  assert.deepEqual(readProxyHeader(proxyV2Header({ sourceIp: '1.1.1.1', sourcePort: 1, destinationIp: '2.2.2.2', destinationPort: 2 }).subarray(0, 20)), { kind: 'incomplete' });
  assert.deepEqual(readProxyHeader(Buffer.from('GET / HTTP/1.1\r\n')), { kind: 'none' });
  assert.deepEqual(readProxyHeader(Buffer.from('\r\nGET')), { kind: 'none' });
  assert.deepEqual(readProxyHeader(Buffer.from('PROXY TCP4 nonsense\r\n')), { kind: 'invalid' });
});
