/**
 * The data path of one NLB listener: a TCP server on loopback that gives each connection to
 * the next healthy target (round-robin per connection, as an NLB balances flows). A target in
 * this process (a process-runtime pod) takes the accepted socket itself — no second connection
 * and no copying, like a layer-4 balancer that forwards packets; any other target is reached by
 * piping to host:port (and always when `handoff` is false). No healthy target → the connection
 * is reset, as an NLB with no healthy targets does (fail-open aside).
 * With proxy protocol v2 on, the target's first bytes are the v2 header naming the client and
 * the NLB (handed-over sockets get it pushed back in front of the client's bytes).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Address } from './balancer.js';
import { proxyV2Header } from '../../util/proxy-protocol.js';

function forward(from: Socket, to: Socket): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.on('end', () => to.end());
}

export function createNlbServer(pick: () => Address | undefined, handoff = true): Server {
  const server = createServer({ noDelay: true }, (client: Socket) => {
    const target = pick();
    if (!target) { client.resetAndDestroy(); return; }
    const header = target.proxy && proxyV2Header({
      sourceIp: client.remoteAddress ?? '0.0.0.0', sourcePort: client.remotePort ?? 0,
      destinationIp: target.proxy.destinationIp, destinationPort: target.proxy.destinationPort,
    });
    if (handoff && target.accept) {
      if (header) client.unshift(header);
      target.accept(client, target.source);
      return;
    }
    const up = connect({ host: target.host, port: target.port, noDelay: true });
    if (header) up.write(header);
    const kill = (): void => { client.destroy(); up.destroy(); };
    client.on('error', kill);
    up.on('error', kill);
    // Hand-rolled piping (cheaper per chunk than stream.pipe): write through, pause on backpressure.
    forward(client, up);
    forward(up, client);
  });
  server.on('error', () => undefined);
  return server;
}
