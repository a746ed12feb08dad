/**
 * What /version reports. The kubectl on PATH picks its client by the server's minor version,
 * so keks reports 1.32 (with an EKS-style build suffix, as `v1.32.x-eks-…` servers do).
 */
export interface VersionInfo {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

export const KUBERNETES_VERSION = '1.32.4';

export function versionInfo(): VersionInfo {
  return {
    major: '1',
    minor: '32',
    gitVersion: `v${KUBERNETES_VERSION}`,
    gitCommit: '4cb5f07f4a3bd1e7f6d00f2b2cbbb4c7d7bfb5a1',
    gitTreeState: 'clean',
    buildDate: '2025-04-22T00:00:00Z',
    goVersion: 'go1.23.6',
    compiler: 'gc',
    platform: `linux/${process.arch === 'arm64' ? 'arm64' : 'amd64'}`,
  };
}
