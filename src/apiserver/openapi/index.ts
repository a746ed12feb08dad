/** OpenAPI serving (/openapi/v2, /openapi/v3): see service.ts. */
export { OpenApiService, serverRelativeURL, type OpenApiServiceOptions } from './service.js';
export { OpenApiDocumentStore, computeOpenApiHash, documentKeyOfGroupVersion, DEFAULT_EXTRA_DOCUMENTS, type OpenApiDocument, type OpenApiDocumentStoreOptions } from './document-store.js';
export { findOpenApiDataDir, findPackageRoot } from './data-dir.js';
