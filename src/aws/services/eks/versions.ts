/**
 * Kubernetes versions keks's EKS offers, with the platform version a new cluster of that minor
 * gets (real EKS numbers each minor's platform versions eks.1, eks.2, …), and the delays real EKS
 * takes for each lifecycle step (used only when realistic timing is on: delay × timing.scale).
 */

/** Default version of CreateCluster without `version` (kubectl v1.32 is the client keks targets). */
export const DEFAULT_VERSION = '1.32';

/** Supported minors → the platform version new clusters of that minor report. */
export const PLATFORM_VERSIONS: Readonly<Record<string, string>> = {
  '1.28': 'eks.40',
  '1.29': 'eks.33',
  '1.30': 'eks.29',
  '1.31': 'eks.25',
  '1.32': 'eks.11',
  '1.33': 'eks.5',
};

export const SUPPORTED_VERSIONS = Object.keys(PLATFORM_VERSIONS);

export function isSupportedVersion(v: string): boolean {
  return v in PLATFORM_VERSIONS;
}

/** "1.31" → 31 (NaN when not major.minor). */
export function minorOf(v: string): number {
  const m = /^1\.(\d+)$/.exec(v);
  return m ? Number(m[1]) : NaN;
}

/** Real-EKS durations (ms) of each step; multiplied by timing.scale (0 = instant, the default). */
export const REAL_DELAYS_MS = {
  clusterCreate: 9 * 60_000,
  clusterDelete: 4 * 60_000,
  endpointAccessUpdate: 6 * 60_000,
  loggingUpdate: 60_000,
  accessConfigUpdate: 60_000,
  versionUpdate: 20 * 60_000,
  addonCreate: 60_000,
  addonUpdate: 60_000,
  addonDelete: 30_000,
} as const;

export type DelayKind = keyof typeof REAL_DELAYS_MS;
