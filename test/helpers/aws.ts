/**
 * Running the real `aws` CLI (v1 on PATH) and python3 boto3 snippets against a keks AWS endpoint
 * in tests. Every run gets a private HOME (no ~/.aws config, credentials, cache or CLI history leak
 * in or out), an environment stripped of the caller's AWS_* variables, the endpoint in
 * AWS_ENDPOINT_URL (which also reaches nested clients such as `aws eks get-token`'s STS presigner),
 * one attempt (no retry backoff), and a bounded timeout.
 *
 *   const r = await runAws(['sts', 'get-caller-identity'], { endpoint: ep.url });
 *   r.code === 0; (r.json as { Arn: string }).Arn
 *
 *   const b = await runBoto3(`out(client('sts').get_caller_identity()['Arn'])`, { endpoint: ep.url });
 *
 * boto3 snippets run after a prelude that defines `client(name, **kw)` (one attempt),
 * `out(value)` (prints JSON; datetimes as ISO strings) and `error_of(fn)` → {Code, Message,
 * HTTPStatusCode} of the ClientError `fn()` raised (or None). Failures print the traceback to
 * stderr and exit non-zero.
 *
 * CLI service errors: `cliError(r)` → {code, operation, message} parsed from the CLI's
 * "An error occurred (Code) when calling the Op operation[ (reached max retries: 0)]: message"
 * line (the retry note appears because runs are limited to one attempt); exit code 255 (v1) / 254 (v2).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface AwsRunResult {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (whole, else its last non-empty line), or undefined when it is not JSON. */
  json: unknown;
}

export interface AwsClientOptions {
  /** The endpoint URL, e.g. AwsEndpoint.url. */
  endpoint: string;
  /** Default `test` / `test` (keks's default root key). */
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Default us-east-1. */
  region?: string;
  /** Extra environment (wins over the defaults above, e.g. AWS_MAX_ATTEMPTS). */
  env?: Record<string, string>;
  /** Written to stdin. */
  input?: string;
  /** Default 30 s; the process is killed after it. */
  timeoutMs?: number;
}

/** The CLI binary: `aws` on PATH (v1 from pip here), or KEKS_TEST_AWS_CLI (e.g. a v2 install). */
export const AWS_CLI: string = process.env.KEKS_TEST_AWS_CLI || 'aws';

/** True when the `aws` CLI runs (e2e files skip otherwise). */
export const haveAwsCli: boolean = spawnSync(AWS_CLI, ['--version'], { timeout: 30_000 }).status === 0;
export const awsCliSkip: string | false = haveAwsCli ? false : 'aws CLI not on PATH';

/** True when python3 can import boto3. */
export const haveBoto3: boolean = spawnSync('python3', ['-c', 'import boto3'], { timeout: 30_000 }).status === 0;
export const boto3Skip: string | false = haveBoto3 ? false : 'python3 with boto3 not available';

/** The environment a client run gets: the parent's minus AWS_*, plus the endpoint and credentials. */
export function awsClientEnv(opts: AwsClientOptions, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'BOTO_CONFIG') env[k] = v;
  Object.assign(env, {
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_ENDPOINT_URL: opts.endpoint,
    AWS_ACCESS_KEY_ID: opts.accessKeyId ?? 'test',
    AWS_SECRET_ACCESS_KEY: opts.secretAccessKey ?? 'test',
    AWS_DEFAULT_REGION: opts.region ?? 'us-east-1',
    AWS_REGION: opts.region ?? 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    AWS_PAGER: '',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONWARNINGS: 'ignore',
  });
  if (opts.sessionToken) env.AWS_SESSION_TOKEN = opts.sessionToken;
  Object.assign(env, opts.env ?? {});
  return env;
}

function parseJson(text: string): unknown {
  const t = text.trim();
  if (!t) return undefined;
  try { return JSON.parse(t); } catch { /* try the last line */ }
  const lines = t.split('\n').filter((l) => l.trim() !== '');
  try { return JSON.parse(lines[lines.length - 1]); } catch { return undefined; }
}

function run(cmd: string, argv: string[], opts: AwsClientOptions): Promise<AwsRunResult> {
  const home = mkdtempSync(join(tmpdir(), 'keks-aws-home-'));
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { env: awsClientEnv(opts, home), cwd: home, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => { stderr += `\n[killed after ${opts.timeoutMs ?? 30_000} ms]`; child.kill('SIGKILL'); }, opts.timeoutMs ?? 30_000);
    child.on('error', (e) => { stderr += String(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, json: parseJson(stdout) });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `aws <args> --output json` (add your own `--output` to override). */
export function runAws(args: string[], opts: AwsClientOptions): Promise<AwsRunResult> {
  const argv = args.includes('--output') ? args : [...args, '--output', 'json'];
  return run(AWS_CLI, argv, opts);
}

const BOTO3_PRELUDE = `
import json, sys, datetime
import boto3, botocore
from botocore.config import Config
from botocore.exceptions import ClientError
session = boto3.session.Session()
def client(name, **kw):
    kw.setdefault('config', Config(retries={'max_attempts': 1, 'mode': 'standard'}))
    return session.client(name, **kw)
def out(v):
    print(json.dumps(v, default=lambda o: o.isoformat() if isinstance(o, (datetime.datetime, datetime.date)) else str(o)))
def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return {'Code': e.response['Error'].get('Code'), 'Message': e.response['Error'].get('Message'),
                'HTTPStatusCode': e.response['ResponseMetadata'].get('HTTPStatusCode'), 'Type': type(e).__name__}
    return None
`;

/** Runs a python3 snippet with boto3 after the prelude (client, out, error_of). */
export function runBoto3(script: string, opts: AwsClientOptions): Promise<AwsRunResult> {
  return run('python3', ['-c', `${BOTO3_PRELUDE}\n${script}\n`], opts);
}

export interface CliError {
  code: string;
  operation: string;
  message: string;
}

/** The service error the CLI printed on stderr, or undefined when there is none. */
export function cliError(r: Pick<AwsRunResult, 'stderr'>): CliError | undefined {
  const m = /An error occurred \(([^)]+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: ?(.*)/.exec(r.stderr);
  return m ? { code: m[1], operation: m[2], message: m[3].trim() } : undefined;
}
