/**
 * EC2's error codes and messages (all HTTP 400, as EC2 answers client mistakes), worded as the
 * real service words them.
 */
import { AwsError } from '../../core/types.js';
import { isWellFormedId } from './ids.js';

const KINDS = {
  vpc: { code: 'InvalidVpcID', noun: 'vpc ID' },
  subnet: { code: 'InvalidSubnetID', noun: 'subnet ID' },
  sg: { code: 'InvalidGroupId', noun: 'security group' },
  i: { code: 'InvalidInstanceID', noun: 'instance ID' },
} as const;
export type IdKind = keyof typeof KINDS;

export function notFound(kind: IdKind, ids: string[]): AwsError {
  if (kind === 'sg') return new AwsError('InvalidGroup.NotFound', `The security group '${ids.join(', ')}' does not exist`);
  const { code, noun } = KINDS[kind];
  if (ids.length > 1) return new AwsError(`${code}.NotFound`, `The ${noun}s '${ids.join(', ')}' do not exist`);
  return new AwsError(`${code}.NotFound`, `The ${noun} '${ids[0]}' does not exist`);
}

/** Throws `<Code>.Malformed` when an id does not have the resource's shape (`i-` + hex). */
export function checkIdShape(kind: IdKind, id: string): void {
  if (!isWellFormedId(kind, id)) throw new AwsError(`${KINDS[kind].code}.Malformed`, `Invalid id: "${id}"`);
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message);
}

export function missingParameter(name: string): AwsError {
  return new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
}

export function dependencyViolation(message: string): AwsError {
  return new AwsError('DependencyViolation', message);
}
