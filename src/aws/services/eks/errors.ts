/**
 * EKS error factories: the modelled error shapes (botocore eks/2017-11-01 service-2.json) with
 * their HTTP statuses, and the messages real EKS returns (collected in
 * aws-api-surface.md §2; moto/eks/models.py and public issue reports). Every rest-json error body
 * echoes the shape's extra members (clusterName, nodegroupName, addonName, fargateProfileName).
 */
import { AwsError } from '../../core/types.js';

export interface EksErrorFields {
  clusterName?: string;
  nodegroupName?: string;
  addonName?: string;
  fargateProfileName?: string;
}

const STATUS: Record<string, number> = {
  ResourceNotFoundException: 404,
  NotFoundException: 404,
  ResourceInUseException: 409,
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  BadRequestException: 400,
  ClientException: 400,
  ResourceLimitExceededException: 400,
  UnsupportedAvailabilityZoneException: 400,
  AccessDeniedException: 403,
};

export function eksError(code: string, message: string, fields: EksErrorFields = {}): AwsError {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) clean[k] = v;
  return new AwsError(code, message, STATUS[code] ?? 400, clean);
}

export const invalidParameter = (message: string, fields: EksErrorFields = {}): AwsError => eksError('InvalidParameterException', message, fields);
export const invalidRequest = (message: string, fields: EksErrorFields = {}): AwsError => eksError('InvalidRequestException', message, fields);
export const resourceInUse = (message: string, fields: EksErrorFields = {}): AwsError => eksError('ResourceInUseException', message, fields);
export const resourceNotFound = (message: string, fields: EksErrorFields = {}): AwsError => eksError('ResourceNotFoundException', message, fields);

export const clusterNotFound = (name: string): AwsError => resourceNotFound(`No cluster found for name: ${name}.`, { clusterName: name });
export const clusterExists = (name: string): AwsError => resourceInUse(`Cluster already exists with name: ${name}`, { clusterName: name });

/** Access-entry operations on a CONFIG_MAP cluster (real EKS wording). */
export const accessEntriesDisabled = (cluster: string): AwsError =>
  invalidRequest("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.", { clusterName: cluster });
