/**
 * Connections into a built-in server may start with a PROXY protocol header (an NLB target group
 * with proxy protocol v2). The servers read it as nginx does with `listen … proxy_protocol` and
 * `real_ip_header proxy_protocol`: the header is consumed, the HTTP stream after it is served as
 * usual, and the client address the pod reports is the header's source. Connections without a
 * header are served unchanged; a malformed header closes the connection (nginx: "broken header").
 */
import type { Socket } from 'node:net';
import { readProxyHeader } from '../../util/proxy-protocol.js';

/** Calls `deliver` once the first bytes show whether a header is there (with its source address, if any). */
export function acceptProxyHeader(socket: Socket, deliver: (sourceIp: string | undefined) => void): void {
  let buf: Buffer | undefined;
  const onData = (chunk: Buffer): void => {
    buf = buf ? Buffer.concat([buf, chunk]) : chunk;
    const r = readProxyHeader(buf);
    if (r.kind === 'incomplete') return;
    socket.off('data', onData);
    if (r.kind === 'invalid') { socket.destroy(); return; }
    const rest = r.kind === 'header' ? buf.subarray(r.length) : buf;
    // Back in front of the stream: the HTTP server that takes the socket next reads it first.
    if (rest.length > 0) socket.unshift(rest);
    deliver(r.kind === 'header' ? r.endpoints?.sourceIp.replace(/^::ffff:/, '') : undefined);
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
}
