/**
 * The data path of one ALB listener: a node:http server on loopback that routes each request
 * by the listener's rules (host/path), then forwards, redirects or answers a fixed response, as
 * an Application Load Balancer does. Forwarded requests carry X-Forwarded-For/-Proto/-Port and
 * X-Amzn-Trace-Id; no healthy target → 503, an unreachable target → 502, with the ALB's own
 * HTML bodies. HTTPS listeners terminate TLS with a certificate for the load balancer's hostname
 * issued by the traffic plane's own CA (standing in for the ACM certificate the Ingress names).
 */
import { Agent, createServer, request, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { ActionDoc, ListenerDoc } from '../../aws/services/elbv2/model.js';
import { route, type Address } from './balancer.js';
import { allowLargeResponses } from '../../util/tls-socket.js';

const page = (code: string): string => `<html>\r\n<head><title>${code}</title></head>\r\n<body>\r\n<center><h1>${code}</h1></center>\r\n</body>\r\n</html>\r\n`;

export interface AlbRouting {
  listener(): ListenerDoc | undefined;
  rules(): import('../../aws/services/elbv2/model.js').RuleDoc[];
  /** A healthy target's local address in one of the forward action's groups. */
  pick(action: Extract<ActionDoc, { type: 'forward' }>): Address | undefined;
}

function traceId(): string {
  return `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

function answer(res: ServerResponse, status: number, body: string, type = 'text/html'): void {
  res.writeHead(status, { Server: 'awselb/2.0', 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function redirect(req: IncomingMessage, res: ServerResponse, a: Extract<ActionDoc, { type: 'redirect' }>, l: ListenerDoc): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const host = (req.headers.host ?? '').replace(/:\d+$/, '');
  const sub = (s: string): string => s.replace('#{protocol}', l.protocol.toLowerCase()).replace('#{host}', host).replace('#{port}', String(l.port))
    .replace('#{path}', url.pathname.slice(1)).replace('#{query}', url.search.slice(1));
  const proto = sub(a.protocol).toLowerCase();
  const port = sub(a.port);
  const defaultPort = (proto === 'https' && port === '443') || (proto === 'http' && port === '80');
  const q = sub(a.query ?? '#{query}');
  const location = `${proto}://${sub(a.host ?? '#{host}')}${defaultPort ? '' : `:${port}`}${sub(a.path ?? '/#{path}')}${q ? `?${q}` : ''}`;
  res.writeHead(a.statusCode === 'HTTP_301' ? 301 : 302, { Server: 'awselb/2.0', Location: location, 'Content-Type': 'text/html', 'Content-Length': 0 });
  res.end();
}

/** `tls`: serve HTTPS with this certificate (an HTTPS listener); plain HTTP otherwise. */
export function createAlbServer(routing: AlbRouting, tls?: { certPem: string; keyPem: string }): Server {
  const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 });
  const handler: RequestListener = (req, res) => {
    const l = routing.listener();
    if (!l) { answer(res, 503, page('503 Service Temporarily Unavailable')); return; }
    const path = (req.url ?? '/').split('?')[0];
    const actions = route(routing.rules(), req.headers.host, path);
    const a = actions[actions.length - 1];
    if (!a) { answer(res, 503, page('503 Service Temporarily Unavailable')); return; }
    if (a.type === 'redirect') { req.resume(); redirect(req, res, a, l); return; }
    if (a.type === 'fixed-response') { req.resume(); answer(res, Number(a.statusCode), a.messageBody ?? '', a.contentType ?? 'text/plain; charset=utf-8'); return; }
    const target = routing.pick(a);
    if (!target) { req.resume(); answer(res, 503, page('503 Service Temporarily Unavailable')); return; }
    const client = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const xff = req.headers['x-forwarded-for'];
    const headers = {
      ...req.headers,
      'x-forwarded-for': xff ? `${Array.isArray(xff) ? xff.join(', ') : xff}, ${client}` : client,
      'x-forwarded-proto': l.protocol === 'HTTPS' ? 'https' : 'http',
      'x-forwarded-port': String(l.port),
      'x-amzn-trace-id': traceId(),
    };
    const up = request({ host: target.host, port: target.port, method: req.method, path: req.url, headers, agent }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) answer(res, 502, page('502 Bad Gateway'));
      else res.destroy();
    });
    req.pipe(up);
  };
  const server: Server = tls
    ? createTlsServer({ cert: tls.certPem, key: tls.keyPem, keepAliveTimeout: 60_000 }, handler) as unknown as Server
    : createServer({ keepAliveTimeout: 60_000 }, handler);
  server.on('close', () => agent.destroy());
  // HTTPS listeners: big responses must not drop the client's keep-alive connection (util/tls-socket.ts).
  if (tls) server.on('secureConnection', allowLargeResponses);
  server.on('clientError', (_e, socket) => socket.destroy());
  return server;
}
