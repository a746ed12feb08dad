/**
 * The per-cluster PKI: cluster CA, API-server serving certificate, admin and other client
 * certificates, and the x509 client identity. Importing this module is cheap: the X.509
 * generator library loads only when a certificate has to be issued.
 */
export type { CertKeyPem, ClusterPki, ClientCertOptions, ServingCertOptions, X509Identity } from './types.js';
export {
  loadOrCreateClusterPki,
  coversSans,
  clusterPkiExists,
  DEFAULT_SERVING_SANS,
  ADMIN_COMMON_NAME,
  ADMIN_ORGANIZATION,
  PKI_FILES,
} from './cluster-pki.js';
export type { ClusterPkiOptions } from './cluster-pki.js';
export { createCa, issueClientCert, issueServingCert, preloadIssuer } from './issue.js';
export type { CaOptions } from './issue.js';
export { identityFromPeerCert, identityFromTlsSocket } from './identity.js';
export { writeFileAtomic } from './atomic-file.js';
export type { AtomicWriteOptions } from './atomic-file.js';
export { loadOrCreateServiceAccountKey } from './service-account-key.js';
