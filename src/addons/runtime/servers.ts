/**
 * The request handlers of the built-in images (images.ts), answering as the images do:
 *
 * - echoserver (kubernetes/ingress-nginx images/echo's nginx.conf + lua): a text page with
 *   `Hostname:`, pod information, server values, request information (client_address, method,
 *   real path, query, request_version, request_scheme, request_uri), request headers and body;
 * - mendhak/http-https-echo: a JSON document {path, headers, method, body, fresh, hostname, ip,
 *   ips, protocol, query, subdomains, xhr, os: {hostname}, connection: {}};
 * - hashicorp/http-echo: its text and a newline (plus the X-App-Name/X-App-Version headers);
 * - nginx / httpd: their default index pages (and nginx's 404 page elsewhere).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { ServerKind } from './images.js';

export interface PodIdentity {
  name: string;
  namespace: string;
  podIp: string;
  nodeName?: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const NGINX_INDEX = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

const NGINX_404 = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;

const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';

/** Reads the request body (bounded at 1 MiB; the rest is dropped). */
function readBody(req: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => { if (size < 1 << 20) { chunks.push(c); size += c.length; } });
  req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
  req.on('error', () => done(''));
}

/**
 * The source address a pod sees on a connection, when it is not the socket's peer: a load
 * balancer that hands over a connection says whom AWS networking would show (the NLB's private
 * IP without client IP preservation, the node's IP after kube-proxy's SNAT).
 */
const simulatedSource = new WeakMap<Socket, string>();

export function setSimulatedSource(socket: Socket, ip: string): void {
  simulatedSource.set(socket, ip);
}

function clientAddress(req: IncomingMessage): string {
  return simulatedSource.get(req.socket) ?? (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
}

function echoserverText(pod: PodIdentity, req: IncomingMessage, body: string): string {
  const url = new URL(req.url ?? '/', 'http://x');
  const host = req.headers.host ?? `${pod.podIp}:${req.socket.localPort}`;
  const headers = Object.entries(req.headers).map(([k, v]) => `\t${k}=${Array.isArray(v) ? v.join(', ') : v}`).join('\n');
  return [
    '', '',
    `Hostname: ${pod.name}`, '',
    'Pod Information:',
    '\t-no pod information available-', '',
    'Server values:',
    '\tserver_version=nginx: 1.13.3 - lua: 10008', '',
    'Request Information:',
    `\tclient_address=${clientAddress(req)}`,
    `\tmethod=${req.method}`,
    `\treal path=${url.pathname}`,
    `\tquery=${url.search.slice(1)}`,
    `\trequest_version=${req.httpVersion}`,
    '\trequest_scheme=http',
    `\trequest_uri=http://${host}${req.url ?? '/'}`, '',
    'Request Headers:',
    headers, '',
    'Request Body:',
    body ? `\t${body}` : '\t-no body in request-', '', '',
  ].join('\n');
}

function httpsEchoJson(pod: PodIdentity, req: IncomingMessage, body: string): string {
  const url = new URL(req.url ?? '/', 'http://x');
  const host = (req.headers.host ?? '').split(':')[0];
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = v;
  const ip = clientAddress(req);
  return JSON.stringify({
    path: url.pathname, headers: req.headers, method: req.method, body, cookies: undefined, fresh: false, hostname: host,
    ip: `::ffff:${ip}`, ips: [], protocol: 'http', query, subdomains: [], xhr: req.headers['x-requested-with'] === 'XMLHttpRequest',
    os: { hostname: pod.name }, connection: {},
  }, null, 2);
}

export function handlerFor(server: ServerKind, pod: PodIdentity): Handler {
  switch (server.kind) {
    case 'echoserver':
      return (req, res) => readBody(req, (body) => {
        res.writeHead(200, { 'Content-Type': 'text/plain', Server: 'echoserver' });
        res.end(echoserverText(pod, req, body));
      });
    case 'http-https-echo':
      return (req, res) => readBody(req, (body) => {
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'X-Powered-By': 'Express' });
        res.end(httpsEchoJson(pod, req, body));
      });
    case 'http-echo': {
      const text = `${server.text}\n`;
      return (req, res) => {
        req.resume();
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'X-App-Name': 'http-echo', 'X-App-Version': '1.0.0' });
        res.end(text);
      };
    }
    case 'static':
      return (req, res) => {
        req.resume();
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        const index = path === '/' || path === '/index.html';
        if (server.flavour === 'nginx') {
          res.writeHead(index ? 200 : 404, { 'Content-Type': 'text/html', Server: 'nginx/1.27.3' });
          res.end(index ? NGINX_INDEX : NGINX_404);
        } else {
          res.writeHead(index ? 200 : 404, { 'Content-Type': 'text/html', Server: 'Apache/2.4.62 (Unix)' });
          res.end(index ? HTTPD_INDEX : '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n');
        }
      };
  }
}
