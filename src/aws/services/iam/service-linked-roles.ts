/**
 * CreateServiceLinkedRole for the services an EKS account uses (EKS, node groups, Fargate, ELB,
 * Auto Scaling, EC2 Spot): the role AWS creates at /aws-service-role/<service>/ with its fixed
 * name (AWSServiceRoleFor…), a trust policy naming the service, and the service's managed policy
 * attached when keks carries it. Other services are refused by name, never guessed.
 */
import type { QueryHandler } from '../../core/types.js';
import { accountOf, nowIso } from './common.js';
import { invalidInput } from './errors.js';
import type { IamState } from './iam-state.js';
import { uniqueId } from './ids.js';
import { awsManagedPolicy } from './managed-policies.js';
import { roleXml, type RoleDoc } from './model.js';
import { DESCRIPTION, validate } from './validate.js';

/** Service principal → the role name AWS gives its service-linked role (+ managed policy). */
export const SERVICE_LINKED_ROLES: Record<string, { roleName: string; policy?: string }> = {
  'eks.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonEKS', policy: 'arn:aws:iam::aws:policy/aws-service-role/AmazonEKSServiceRolePolicy' },
  'eks-nodegroup.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonEKSNodegroup' },
  'eks-fargate.amazonaws.com': { roleName: 'AWSServiceRoleForAmazonEKSForFargate' },
  'elasticloadbalancing.amazonaws.com': { roleName: 'AWSServiceRoleForElasticLoadBalancing' },
  'autoscaling.amazonaws.com': { roleName: 'AWSServiceRoleForAutoScaling' },
  'spot.amazonaws.com': { roleName: 'AWSServiceRoleForEC2Spot' },
};

export function serviceLinkedRoleActions(s: IamState): Record<string, QueryHandler> {
  return {
    async CreateServiceLinkedRole(params, ctx) {
      const service = params.required('AWSServiceName');
      const description = params.get('Description');
      const suffix = params.get('CustomSuffix');
      validate(['description', description, DESCRIPTION]);
      const known = SERVICE_LINKED_ROLES[service];
      if (!known) {
        throw invalidInput(`keks has no service-linked role for ${service}; supported: ${Object.keys(SERVICE_LINKED_ROLES).join(', ')}.`);
      }
      if (suffix !== undefined) throw invalidInput(`Custom suffix is not allowed for ${service}`);
      const account = accountOf(ctx);
      if (s.role(account, known.roleName)) {
        throw invalidInput(`Service role name ${known.roleName} has been taken in this account, please try a different suffix.`);
      }
      const path = `/aws-service-role/${service}/`;
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }] });
      const role: RoleDoc = {
        accountId: account, roleName: known.roleName, roleId: uniqueId('AROA'), path, arn: `arn:aws:iam::${account}:role${path}${known.roleName}`,
        createDate: nowIso(s.now()), assumeRolePolicyDocument: trust, maxSessionDuration: 3600, tags: [],
        attachedPolicies: known.policy && awsManagedPolicy(known.policy) ? [known.policy] : [], inlinePolicies: {},
        ...(description !== undefined ? { description } : {}),
      };
      await s.putRole(role);
      return { Role: roleXml(role) };
    },
  };
}
