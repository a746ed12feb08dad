/**
 * Which container images the process runtime can run for real, and how: a small built-in set
 * that the networking labs use. Everything else stays simulated (no server).
 *
 * - `k8s.gcr.io/echoserver`, `registry.k8s.io/echoserver` (gcr.io/google_containers/echoserver):
 *   nginx + lua answering "Hostname: <pod>" and the request; listens on 8080.
 * - `mendhak/http-https-echo`: JSON echo of the request; HTTP_PORT (default 8080).
 * - `hashicorp/http-echo`: answers its `-text=` with a newline; `-listen=:5678` by default.
 * - `nginx`, `httpd` (any registry, e.g. public.ecr.aws/nginx/nginx): the default welcome page on 80.
 */

export type ServerKind =
  | { kind: 'echoserver' }
  | { kind: 'http-https-echo' }
  | { kind: 'http-echo'; text: string }
  | { kind: 'static'; flavour: 'nginx' | 'httpd' };

export interface ContainerLike {
  name?: string;
  image?: string;
  args?: string[];
  command?: string[];
  ports?: Array<{ containerPort?: number; protocol?: string }>;
  env?: Array<{ name?: string; value?: string }>;
}

export interface RunnableContainer {
  server: ServerKind;
  /** TCP ports the process listens on (its declared containerPorts plus the image's own default). */
  ports: number[];
}

/** The repository path of an image without registry host, tag or digest, e.g. `hashicorp/http-echo`. */
export function repositoryOf(image: string): string {
  let s = image.split('@')[0];
  const lastSlash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > lastSlash) s = s.slice(0, colon);
  const parts = s.split('/');
  // A first part with a dot or colon (or `localhost`) is a registry host.
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  if (parts[0] === 'library') parts.shift();
  return parts.join('/');
}

function flag(args: string[], name: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    for (const p of [`-${name}=`, `--${name}=`]) if (a.startsWith(p)) return a.slice(p.length);
    if ((a === `-${name}` || a === `--${name}`) && i + 1 < args.length) return args[i + 1];
  }
  return undefined;
}

function portOfListen(listen: string | undefined, dflt: number): number {
  if (!listen) return dflt;
  const n = Number(listen.slice(listen.lastIndexOf(':') + 1));
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : dflt;
}

/** How to run a container, or undefined when its image is not one the runtime knows. */
export function classify(c: ContainerLike): RunnableContainer | undefined {
  if (!c.image) return undefined;
  const repo = repositoryOf(c.image);
  const declared = (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP' && p.containerPort).map((p) => p.containerPort as number);
  const withDefault = (server: ServerKind, port: number): RunnableContainer => ({ server, ports: [...new Set([...declared, port])].sort((a, b) => a - b) });
  const last = repo.split('/').pop() ?? repo;
  if (repo === 'echoserver' || repo === 'google_containers/echoserver' || repo === 'google-containers/echoserver' || (last === 'echoserver' && /k8s|google/.test(c.image))) {
    return withDefault({ kind: 'echoserver' }, 8080);
  }
  if (repo === 'mendhak/http-https-echo') {
    const envPort = Number(c.env?.find((e) => e.name === 'HTTP_PORT')?.value);
    return withDefault({ kind: 'http-https-echo' }, Number.isInteger(envPort) && envPort > 0 ? envPort : 8080);
  }
  if (repo === 'hashicorp/http-echo') {
    const args = [...(c.command ?? []), ...(c.args ?? [])];
    const port = portOfListen(flag(args, 'listen'), 5678);
    // http-echo serves only its -listen port; a declared containerPort elsewhere gets nothing.
    return { server: { kind: 'http-echo', text: flag(args, 'text') ?? '' }, ports: [port] };
  }
  if (last === 'nginx' || repo === 'nginxinc/nginx-unprivileged' || repo === 'bitnami/nginx') {
    return withDefault({ kind: 'static', flavour: 'nginx' }, repo === 'nginx' || repo === 'nginx/nginx' ? 80 : declared[0] ?? 80);
  }
  if (last === 'httpd') return withDefault({ kind: 'static', flavour: 'httpd' }, 80);
  return undefined;
}
