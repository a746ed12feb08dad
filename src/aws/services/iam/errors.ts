/**
 * IAM's error vocabulary: the codes and HTTP statuses of botocore's IAM model
 * (botocore/data/iam/2010-05-08/service-2.json, `error.code` / `httpStatusCode`) with the
 * messages IAM answers (as observed on AWS and mirrored by moto/iam/models.py).
 */
import { AwsError } from '../../core/types.js';

/** NoSuchEntity 404. */
export function noSuchEntity(message: string): AwsError {
  return new AwsError('NoSuchEntity', message, 404);
}

/** EntityAlreadyExists 409. */
export function entityAlreadyExists(message: string): AwsError {
  return new AwsError('EntityAlreadyExists', message, 409);
}

/** DeleteConflict 409 ("Cannot delete entity, must … first."). */
export function deleteConflict(message: string): AwsError {
  return new AwsError('DeleteConflict', message, 409);
}

/** LimitExceeded 409 ("Cannot exceed quota for <Quota>: <n>"). */
export function limitExceeded(quota: string, n: number): AwsError {
  return new AwsError('LimitExceeded', `Cannot exceed quota for ${quota}: ${n}`, 409);
}

/** MalformedPolicyDocument 400. */
export function malformedPolicy(message: string): AwsError {
  return new AwsError('MalformedPolicyDocument', message, 400);
}

/** InvalidInput 400. */
export function invalidInput(message: string): AwsError {
  return new AwsError('InvalidInput', message, 400);
}

/** ValidationError 400 with a free-form message (model-constraint errors come from validate.ts). */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message, 400);
}

export const userNotFound = (name: string): AwsError => noSuchEntity(`The user with name ${name} cannot be found.`);
export const roleNotFound = (name: string): AwsError => noSuchEntity(`The role with name ${name} cannot be found.`);
export const policyNotFound = (arn: string): AwsError => noSuchEntity(`Policy ${arn} was not found.`);
export const policyNotAttachable = (arn: string): AwsError => noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
export const accessKeyNotFound = (id: string): AwsError => noSuchEntity(`The Access Key with id ${id} cannot be found.`);
export const instanceProfileNotFound = (name: string): AwsError => noSuchEntity(`Instance Profile ${name} cannot be found.`);
