/**
 * Per-pod annotations that change the simulated lifecycle (documented in docs/simulator.md).
 * Durations accept 500ms, 2s, 1.5m, 1h (a bare number is seconds).
 */
export const ANN = {
  /** How long pulling each image takes before containers start (default 0s; events say a plausible time). */
  pullTime: 'keks.dev/pull-time',
  /** "fail": every pull fails (ErrImagePull, then ImagePullBackOff with back-off). */
  imagePull: 'keks.dev/image-pull',
  /** Run time of each init container (default 500ms). */
  initTime: 'keks.dev/init-time',
  /** Pods with restartPolicy Never/OnFailure: run time before they complete with exit code 0 (default 3s). */
  runTime: 'keks.dev/run-time',
  /** Containers exit with an error this long after each start (CrashLoopBackOff when restarted). */
  failAfter: 'keks.dev/fail-after',
  /** Exit code of such a failure (default 1). */
  exitCode: 'keks.dev/exit-code',
  /** Simulated memory use (a quantity); above a container's memory limit it is OOMKilled (exit 137). */
  memoryUsage: 'keks.dev/memory-usage',
  /** How long after each start an over-limit container is OOMKilled (default 2s). */
  oomAfter: 'keks.dev/oom-after',
  /** How long containers take to exit after SIGTERM (default 1s; capped by the grace period). */
  stopTime: 'keks.dev/stop-time',
  /** How long a container's preStop hook runs (default: a sleep hook's seconds, else 0). */
  preStopTime: 'keks.dev/prestop-time',
  /** "fail": preStop hooks fail (a FailedPreStopHook event; termination goes on). */
  preStop: 'keks.dev/prestop',
  /** Readiness probes: `fail` (from the first probe) or `fail-after=<duration>` after each start. */
  readiness: 'keks.dev/readiness',
  /** Liveness probes: `fail` or `fail-after=<duration>`; the kubelet kills and restarts the container. */
  liveness: 'keks.dev/liveness',
  /** Startup probes: `fail` or `fail-after=<duration>`; the container never starts and is killed. */
  startup: 'keks.dev/startup',
} as const;
