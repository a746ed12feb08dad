/**
 * What the write handlers need beyond the core path — patch engines, field validation, the
 * field manager — gathered in one module that write.ts loads on the first write, so none of
 * it is compiled before the server is ready (the 300 ms start-up budget).
 */
export { applyPatchBody, decodeApplyBody, isApplyPatch } from './patch.js';
export { checkUnknownFields } from '../crd/field-validation.js';
export { checkApplyBody, checkFields, checkPatchFields, fieldValidationDirective } from '../fieldvalidation/index.js';
export { checkFieldManagerOptions, fieldApplier, fieldTracker } from '../../registry/fieldmanager/request.js';
