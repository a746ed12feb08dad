/**
 * The AWS side's public surface for the composition root (src/main.ts) and other layers
 * (addons/ may import aws/): the endpoint, credential building blocks, and the SigV4 check the
 * EKS token authenticator reuses.
 */
export { AwsEndpoint, type AwsEndpointOptions } from './server.js';
export { AwsDispatcher, anonymousPrincipal, type AwsDispatcherOptions, type AwsHttpRequest, type AwsHttpResponse } from './core/dispatch.js';
export { rootAccessKey, staticCredentials, chainCredentials } from './core/credentials.js';
export { verifyPresignedUrl, verifyRequestSignature, sigV4Error, type SigV4Result, type SigV4FailureReason, type SignedRequest } from './core/sigv4-verify.js';
export { signRequest, presignUrl, type SigningCredentials, type SignInput } from './core/sigv4-sign.js';
export * from './core/types.js';
