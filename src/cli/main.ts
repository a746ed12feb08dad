/**
 * The `keks` command: argv → config → startKeks, a friendly banner, and graceful shutdown on
 * SIGINT/SIGTERM (stop accepting, finish in-flight requests and writes, close the store).
 */
import { ConfigError } from '../config/config.js';
import { startKeks, type Keks } from '../main.js';
import { releaseYoungGeneration } from './young-generation.js';
import { parseArgs, USAGE } from './args.js';
import { KUBERNETES_VERSION } from '../apiserver/version.js';

function banner(k: Keks, kubeconfigPath: string): string {
  const c = k.clusters[0];
  const ctx = k.config.clusterName;
  const lines = [
    `keks is running (Kubernetes v${KUBERNETES_VERSION}, store: ${k.config.store}${k.config.store === 'sqlite' ? ` in ${k.config.dataDir}` : ''})`,
    `  cluster "${c.name}": ${c.endpoint}`,
    `  AWS endpoint: ${k.aws.endpoint.url} (EKS, STS, IAM, EC2, Auto Scaling; account ${k.config.awsAccountId}, region ${k.config.region})`,
  ];
  if (kubeconfigPath) {
    lines.push(`  kubeconfig context "${ctx}" written to ${kubeconfigPath}`, '', 'Try:', '  kubectl get ns', '  kubectl create ns demo', '  kubectl -n demo create configmap cfg --from-literal=a=1', '  kubectl get cm -A -w');
  }
  lines.push('', 'The AWS side (any aws CLI or SDK):',
    `  export AWS_ENDPOINT_URL=${k.aws.endpoint.url} AWS_ACCESS_KEY_ID=${k.config.awsAccessKeyId} AWS_SECRET_ACCESS_KEY=… AWS_DEFAULT_REGION=${k.config.region}`,
    '  aws eks list-clusters',
    `  aws eks update-kubeconfig --name ${c.name}   # sign in with IAM, as on EKS`,
    '  keks lb                               # load balancers → their local addresses (curl them)');
  lines.push('', 'Press Ctrl-C to stop (your objects are kept).');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<void> {
  if (argv[0] === 'lb') { const { lbCommand } = await import('./lb.js'); process.exitCode = lbCommand(argv.slice(1)); return; }
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (e instanceof ConfigError) { process.stderr.write(`keks: ${e.message}\n`); process.exit(2); }
    throw e;
  }
  if (parsed.command === 'help') { process.stdout.write(USAGE); return; }
  if (parsed.command === 'version') { process.stdout.write(`keks (Kubernetes v${KUBERNETES_VERSION})\n`); return; }
  const config = parsed.config;
  let keks: Keks;
  try {
    keks = await startKeks(config);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') {
      const port = (err as { port?: number }).port ?? config.port;
      const flag = port === config.awsPort ? '--aws-port' : '--port';
      process.stderr.write(`keks: port ${port} is in use (is another keks running?). Use ${flag} to pick another.\n`);
    }
    else process.stderr.write(`keks: could not start: ${err.message}\n`);
    process.exit(1);
  }
  const c = keks.clusters[0];
  if (config.kubeconfig) {
    // Awaited: the banner below says the context was written, and a write error must be reported.
    try {
      // Loaded after start-up: the kubeconfig writer (and its YAML parser) is not needed to serve.
      const { mergeKubeconfig } = await import('./kubeconfig.js');
      await mergeKubeconfig({
        path: config.kubeconfig, clusterName: config.clusterName, contextName: config.clusterName, userName: `${config.clusterName}-admin`,
        server: c.endpoint, caPem: c.pki.ca.certPem, clientCertPem: c.pki.admin.certPem, clientKeyPem: c.pki.admin.keyPem,
        setCurrentContext: true,
      });
    } catch (e) {
      process.stderr.write(`keks: could not write kubeconfig ${config.kubeconfig}: ${(e as Error).message}\n`);
    }
  }
  process.stdout.write(banner(keks, config.kubeconfig) + '\n');
  // The controllers, the node simulator and kube-system's pods settle in the next seconds; after
  // that, load may grow V8's young generation again.
  setTimeout(releaseYoungGeneration, 5000).unref();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    if (++signals > 1) { process.stderr.write('keks: forced exit\n'); process.exit(130); }
    keks.logger.info({ signal: sig }, 'shutting down');
    keks.stop().then(() => process.exit(0), (e) => { process.stderr.write(`keks: shutdown error: ${(e as Error).message}\n`); process.exit(1); });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
