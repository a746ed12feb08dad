/**
 * The process runtime's public surface: real loopback servers for the pods whose images keks
 * knows (echo servers, nginx, httpd), one runtime per cluster.
 */
export { startProcessRuntime, type LocalAddress, type ProcessRuntime, type ProcessRuntimeOptions } from './runtime.js';
export { classify, repositoryOf, type ServerKind } from './images.js';
