/**
 * EC2 security groups: DescribeSecurityGroups, CreateSecurityGroup, DeleteSecurityGroup,
 * Authorize/RevokeSecurityGroupIngress and -Egress. A rule is one (protocol, port range, source)
 * triple, as EC2 stores them (an IpPermission with two CIDRs is two rules); authorizing a rule
 * that exists fails the whole request with InvalidPermission.Duplicate and changes nothing.
 */
import { AwsError, type QueryHandler, type QueryParams } from '../../core/types.js';
import { parseCidr } from './cidr.js';
import { inScope, maxResultsIn, page, scopeOf, tagsFromSpecs, type Scope } from './common.js';
import type { Ec2State } from './ec2-state.js';
import { checkIdShape, dependencyViolation, invalidParameterValue, missingParameter, notFound } from './errors.js';
import { applyFilters, readFilters } from './filters.js';
import { newId } from './ids.js';
import type { SecurityGroupDoc, SgRule } from './model.js';
import { ipPermissions, ruleXml, securityGroupXml, tagSet } from './shapes.js';
import { findVpc } from './vpc-actions.js';

const PROTOCOLS: Record<string, string> = { tcp: 'tcp', '6': 'tcp', udp: 'udp', '17': 'udp', icmp: 'icmp', '1': 'icmp', '-1': '-1', all: '-1', icmpv6: 'icmpv6', '58': 'icmpv6' };

function findGroup(state: Ec2State, scope: Scope, groupId: string): SecurityGroupDoc {
  checkIdShape('sg', groupId);
  const g = state.groups.get(groupId);
  if (!g || !inScope(g, scope)) throw notFound('sg', [groupId]);
  return g;
}

/** GroupId, or GroupName in the default VPC (EC2-Classic style), as the Authorize/Delete calls accept. */
function targetGroup(state: Ec2State, scope: Scope, params: QueryParams): SecurityGroupDoc {
  const id = params.get('GroupId');
  if (id) return findGroup(state, scope, id);
  const name = params.get('GroupName');
  if (!name) throw missingParameter('GroupId');
  const vpc = state.defaultVpc(scope.accountId, scope.region);
  const g = state.groups.values().find((x) => x.vpcId === vpc.vpcId && x.groupName === name);
  if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc.vpcId}'`);
  return g;
}

/** The rules a request names (IpPermissions.N… or the flat CidrIp/IpProtocol/FromPort/ToPort form). */
function readRules(state: Ec2State, scope: Scope, params: QueryParams): Omit<SgRule, 'ruleId'>[] {
  const perms = params.structs('IpPermissions');
  const out: Omit<SgRule, 'ruleId'>[] = [];
  const base = (p: QueryParams): Omit<SgRule, 'ruleId'> => {
    const raw = p.required('IpProtocol');
    const ipProtocol = PROTOCOLS[raw.toLowerCase()];
    if (!ipProtocol) throw invalidParameterValue(`Invalid value '${raw}' for IP protocol. Unknown protocol.`);
    if (ipProtocol === '-1') return { ipProtocol };
    const fromPort = p.int('FromPort');
    const toPort = p.int('ToPort');
    if ((ipProtocol === 'tcp' || ipProtocol === 'udp') && (fromPort === undefined || toPort === undefined)) {
      throw invalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
    }
    if (fromPort !== undefined && toPort !== undefined && ipProtocol !== 'icmp' && fromPort > toPort) {
      throw invalidParameterValue(`Invalid value '${fromPort}-${toPort}' for portRange. The from port must be less than or equal to the to port.`);
    }
    return { ipProtocol, fromPort, toPort };
  };
  const cidr = (text: string): string => {
    if (!parseCidr(text) && !/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(text)) throw invalidParameterValue(`CIDR block ${text} is malformed`);
    return text;
  };
  for (const p of perms) {
    const b = base(p);
    for (const r of p.structs('IpRanges')) out.push({ ...b, cidrIp: cidr(r.required('CidrIp')), description: r.get('Description') });
    for (const g of p.structs('Groups')) {
      const gid = g.get('GroupId');
      if (!gid) throw missingParameter('GroupId');
      findGroup(state, scope, gid);
      out.push({ ...b, groupId: gid, description: g.get('Description') });
    }
  }
  if (perms.length === 0 && params.get('IpProtocol')) {
    const b = base(params);
    const c = params.get('CidrIp');
    if (c) out.push({ ...b, cidrIp: cidr(c) });
  }
  if (out.length === 0) throw missingParameter('IpPermissions');
  return out;
}

const sameRule = (a: Omit<SgRule, 'ruleId'>, b: Omit<SgRule, 'ruleId'>): boolean =>
  a.ipProtocol === b.ipProtocol && (a.fromPort ?? -1) === (b.fromPort ?? -1) && (a.toPort ?? -1) === (b.toPort ?? -1)
  && (a.cidrIp ?? '') === (b.cidrIp ?? '') && (a.groupId ?? '') === (b.groupId ?? '');

function describeRule(r: Omit<SgRule, 'ruleId'>): string {
  const peer = r.cidrIp ?? r.groupId ?? '';
  if (r.ipProtocol === '-1') return `peer: ${peer}, ALL, ALLOW`;
  return `peer: ${peer}, ${r.ipProtocol.toUpperCase()}, from port: ${r.fromPort ?? -1}, to port: ${r.toPort ?? -1}, ALLOW`;
}

function authorize(state: Ec2State, direction: 'ingress' | 'egress'): QueryHandler {
  return async (params, ctx) => {
    const scope = scopeOf(ctx);
    const g = targetGroup(state, scope, params);
    const wanted = readRules(state, scope, params);
    const existing = g[direction];
    for (let i = 0; i < wanted.length; i++) {
      const w = wanted[i];
      if (existing.some((e) => sameRule(e, w)) || wanted.slice(0, i).some((o) => sameRule(o, w))) {
        throw new AwsError('InvalidPermission.Duplicate', `the specified rule "${describeRule(w)}" already exists`);
      }
    }
    const added = wanted.map((w) => ({ ruleId: newId('sgr'), ...w }));
    const next = { ...g, [direction]: [...existing, ...added] };
    await state.groups.save(g.groupId, next);
    return { return: true, securityGroupRuleSet: added.map((r) => ruleXml(next, r, direction === 'egress')) };
  };
}

function revoke(state: Ec2State, direction: 'ingress' | 'egress'): QueryHandler {
  return async (params, ctx) => {
    const scope = scopeOf(ctx);
    const g = targetGroup(state, scope, params);
    const existing = g[direction];
    const ruleIds = params.list('SecurityGroupRuleId');
    let remove: SgRule[];
    let unknown: Omit<SgRule, 'ruleId'>[] = [];
    if (ruleIds.length) {
      remove = existing.filter((r) => ruleIds.includes(r.ruleId));
      const missing = ruleIds.filter((id) => !remove.some((r) => r.ruleId === id));
      if (missing.length) throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${missing.join(', ')}' does not exist`);
    } else {
      const wanted = readRules(state, scope, params);
      remove = existing.filter((e) => wanted.some((w) => sameRule(e, w)));
      unknown = wanted.filter((w) => !existing.some((e) => sameRule(e, w)));
      if (remove.length === 0) throw new AwsError('InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
    }
    await state.groups.save(g.groupId, { ...g, [direction]: existing.filter((r) => !remove.includes(r)) });
    return {
      return: true,
      unknownIpPermissionSet: unknown.length ? ipPermissions(unknown.map((u) => ({ ruleId: '', ...u })), g.accountId) : undefined,
      revokedSecurityGroupRuleSet: remove.map((r) => ({ securityGroupRuleId: r.ruleId, groupId: g.groupId, isEgress: direction === 'egress', ipProtocol: r.ipProtocol, fromPort: r.fromPort, toPort: r.toPort, cidrIpv4: r.cidrIp, referencedGroupId: r.groupId })),
    };
  };
}

/** Creates a security group with AWS's default egress rule (all traffic out); used by the action and the backend. */
export async function createGroup(state: Ec2State, input: { scope: Scope; vpcId: string; name: string; description: string; tags: Record<string, string> }): Promise<SecurityGroupDoc> {
  if (state.groups.values().some((g) => g.vpcId === input.vpcId && g.groupName === input.name)) {
    throw new AwsError('InvalidGroup.Duplicate', `The security group '${input.name}' already exists for VPC '${input.vpcId}'`);
  }
  const doc: SecurityGroupDoc = {
    ...input.scope, groupId: newId('sg'), groupName: input.name, description: input.description, vpcId: input.vpcId, tags: input.tags,
    ingress: [], egress: [{ ruleId: newId('sgr'), ipProtocol: '-1', cidrIp: '0.0.0.0/0' }],
  };
  await state.groups.save(doc.groupId, doc);
  return doc;
}

/** Deletes a group unless it is a VPC's default group or still used by an instance or another group's rule. */
export async function deleteGroup(state: Ec2State, g: SecurityGroupDoc): Promise<void> {
  if (g.groupName === 'default') throw new AwsError('CannotDelete', `the specified group: "${g.groupId}" name: "default" cannot be deleted by a user`);
  const usedByInstance = state.instances.values().some((i) => i.state !== 'terminated' && i.securityGroupIds.includes(g.groupId));
  const referenced = state.groups.values().some((o) => o.groupId !== g.groupId && [...o.ingress, ...o.egress].some((r) => r.groupId === g.groupId));
  if (usedByInstance || referenced) throw dependencyViolation(`resource ${g.groupId} has a dependent object`);
  await state.groups.remove(g.groupId);
}

export function securityGroupActions(state: Ec2State): Record<string, QueryHandler> {
  return {
    DescribeSecurityGroups(params, ctx) {
      const scope = scopeOf(ctx);
      let groups = state.groups.values().filter((g) => inScope(g, scope));
      const ids = params.list('GroupId');
      const names = params.list('GroupName');
      if (ids.length) {
        ids.forEach((id) => checkIdShape('sg', id));
        const missing = ids.filter((id) => !groups.some((g) => g.groupId === id));
        if (missing.length) throw notFound('sg', missing);
        groups = groups.filter((g) => ids.includes(g.groupId));
      }
      if (names.length) {
        const dflt = state.defaultVpc(scope.accountId, scope.region).vpcId;
        const missing = names.filter((n) => !groups.some((g) => g.groupName === n && g.vpcId === dflt));
        if (missing.length) throw new AwsError('InvalidGroup.NotFound', `The security group '${missing[0]}' does not exist in default VPC '${dflt}'`);
        groups = groups.filter((g) => names.includes(g.groupName) && g.vpcId === dflt);
      }
      groups = applyFilters(groups, readFilters(params), {
        'group-id': (g) => g.groupId,
        'group-name': (g) => g.groupName,
        'description': (g) => g.description,
        'vpc-id': (g) => g.vpcId,
        'owner-id': (g) => g.accountId,
        'ip-permission.cidr': (g) => g.ingress.map((r) => r.cidrIp),
        'ip-permission.protocol': (g) => g.ingress.map((r) => r.ipProtocol),
        'ip-permission.from-port': (g) => g.ingress.map((r) => r.fromPort?.toString()),
        'ip-permission.to-port': (g) => g.ingress.map((r) => r.toPort?.toString()),
        'ip-permission.group-id': (g) => g.ingress.map((r) => r.groupId),
      }, (g) => g.tags);
      const p = page(groups.sort((a, b) => a.groupId.localeCompare(b.groupId)), (g) => g.groupId, maxResultsIn(params, 5, 1000), params.get('NextToken'));
      return { securityGroupInfo: p.items.map(securityGroupXml), nextToken: p.nextToken };
    },

    async CreateSecurityGroup(params, ctx) {
      const scope = scopeOf(ctx);
      const name = params.required('GroupName');
      const description = params.required('GroupDescription');
      if (name.startsWith('sg-')) throw invalidParameterValue("Group names may not be in the format sg-*");
      const vpcId = params.get('VpcId');
      const vpc = vpcId ? findVpc(state, scope, vpcId) : state.defaultVpc(scope.accountId, scope.region);
      const g = await createGroup(state, { scope, vpcId: vpc.vpcId, name, description, tags: tagsFromSpecs(params, 'security-group') });
      return { return: true, groupId: g.groupId, securityGroupArn: `arn:aws:ec2:${g.region}:${g.accountId}:security-group/${g.groupId}`, tagSet: tagSet(g.tags) };
    },

    async DeleteSecurityGroup(params, ctx) {
      const scope = scopeOf(ctx);
      const g = targetGroup(state, scope, params);
      await deleteGroup(state, g);
      return { return: true, groupId: g.groupId };
    },

    AuthorizeSecurityGroupIngress: authorize(state, 'ingress'),
    AuthorizeSecurityGroupEgress: authorize(state, 'egress'),
    RevokeSecurityGroupIngress: revoke(state, 'ingress'),
    RevokeSecurityGroupEgress: revoke(state, 'egress'),
  };
}
