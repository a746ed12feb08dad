/**
 * EC2 launch templates, minimal: CreateLaunchTemplate, CreateLaunchTemplateVersion,
 * DescribeLaunchTemplates, DescribeLaunchTemplateVersions, DeleteLaunchTemplate, and the
 * resolution Auto Scaling uses at each launch (a version number, `$Latest` or `$Default`).
 * Only what a launch uses is kept: instance type, image, key, user data, security groups and
 * tag specifications.
 */
import type { LaunchTemplateData } from '../../core/backends.js';
import { AwsError, type QueryHandler, type QueryParams, type XmlObject } from '../../core/types.js';
import { inScope, maxResultsIn, page, scopeOf, tagsFromSpecs, type Scope } from './common.js';
import type { Ec2State } from './ec2-state.js';
import { invalidParameterValue, missingParameter } from './errors.js';
import { applyFilters, readFilters } from './filters.js';
import { isWellFormedId, newId } from './ids.js';
import type { LaunchTemplateDoc, LaunchTemplateVersionDoc } from './model.js';
import { tagSet } from './shapes.js';

export interface TemplateRef {
  launchTemplateId?: string;
  launchTemplateName?: string;
  version?: string;
}

function idNotFound(id: string): AwsError {
  return new AwsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
}

function nameNotFound(name: string): AwsError {
  return new AwsError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${name}, does not exist.`);
}

/** The template a reference names, or the EC2 error saying it does not exist. */
export function findTemplate(state: Ec2State, scope: Scope, ref: TemplateRef): LaunchTemplateDoc {
  if (ref.launchTemplateId) {
    if (!isWellFormedId('lt', ref.launchTemplateId)) throw new AwsError('InvalidLaunchTemplateId.Malformed', `The specified ID for the launch template ID (${ref.launchTemplateId}) is not valid.`);
    const t = state.launchTemplates.get(ref.launchTemplateId);
    if (!t || !inScope(t, scope)) throw idNotFound(ref.launchTemplateId);
    return t;
  }
  if (!ref.launchTemplateName) throw missingParameter('LaunchTemplateId');
  const t = state.launchTemplates.values().find((x) => inScope(x, scope) && x.launchTemplateName === ref.launchTemplateName);
  if (!t) throw nameNotFound(ref.launchTemplateName);
  return t;
}

/** A version of a template: a number, $Latest, or $Default (also when absent). */
export function findVersion(t: LaunchTemplateDoc, version: string | undefined): LaunchTemplateVersionDoc {
  const latest = Math.max(...t.versions.map((v) => v.versionNumber));
  const n = version === undefined || version === '' || version === '$Default' ? t.defaultVersion : version === '$Latest' ? latest : Number(version);
  const v = t.versions.find((x) => x.versionNumber === n);
  if (!v) throw new AwsError('InvalidLaunchTemplateId.VersionNotFound', `Could not find launch template version ${version} for launch template ${t.launchTemplateId}.`);
  return v;
}

export function resolveTemplate(state: Ec2State, scope: Scope, ref: TemplateRef): LaunchTemplateData | undefined {
  try {
    const t = findTemplate(state, scope, ref);
    const v = findVersion(t, ref.version);
    return {
      launchTemplateId: t.launchTemplateId, launchTemplateName: t.launchTemplateName, versionNumber: v.versionNumber,
      instanceType: v.instanceType, imageId: v.imageId, securityGroupIds: [...v.securityGroupIds],
      instanceTags: { ...(v.tagSpecs.find((s) => s.resourceType === 'instance')?.tags ?? {}) },
    };
  } catch (e) {
    if (e instanceof AwsError) return undefined;
    throw e;
  }
}

function readData(p: QueryParams | undefined, versionNumber: number, now: number, description: string | undefined): LaunchTemplateVersionDoc {
  if (!p) throw missingParameter('LaunchTemplateData');
  return {
    versionNumber, description, createTime: new Date(now).toISOString(),
    instanceType: p.get('InstanceType'), imageId: p.get('ImageId'), keyName: p.get('KeyName'), userData: p.get('UserData'),
    securityGroupIds: p.list('SecurityGroupId'),
    tagSpecs: p.structs('TagSpecification').map((s) => ({
      resourceType: s.required('ResourceType'),
      tags: Object.fromEntries(s.structs('Tag').map((t) => [t.required('Key'), t.get('Value') ?? ''])),
    })),
  };
}

function templateXml(t: LaunchTemplateDoc): XmlObject {
  return {
    launchTemplateId: t.launchTemplateId, launchTemplateName: t.launchTemplateName, createTime: new Date(t.createTime), createdBy: t.createdBy,
    defaultVersionNumber: t.defaultVersion, latestVersionNumber: Math.max(...t.versions.map((v) => v.versionNumber)), tagSet: tagSet(t.tags),
  };
}

function versionXml(t: LaunchTemplateDoc, v: LaunchTemplateVersionDoc): XmlObject {
  return {
    launchTemplateId: t.launchTemplateId, launchTemplateName: t.launchTemplateName, versionNumber: v.versionNumber,
    versionDescription: v.description, createTime: new Date(v.createTime), createdBy: t.createdBy, defaultVersion: v.versionNumber === t.defaultVersion,
    launchTemplateData: {
      imageId: v.imageId, instanceType: v.instanceType, keyName: v.keyName, userData: v.userData,
      securityGroupIdSet: v.securityGroupIds.length ? v.securityGroupIds : undefined,
      tagSpecificationSet: v.tagSpecs.length ? v.tagSpecs.map((s) => ({ resourceType: s.resourceType, tagSet: tagSet(s.tags) })) : undefined,
    },
  };
}

const refOf = (params: QueryParams): TemplateRef => ({ launchTemplateId: params.get('LaunchTemplateId'), launchTemplateName: params.get('LaunchTemplateName') });

export function launchTemplateActions(state: Ec2State, now: () => number): Record<string, QueryHandler> {
  return {
    async CreateLaunchTemplate(params, ctx) {
      const scope = scopeOf(ctx);
      const name = params.required('LaunchTemplateName');
      if (!/^[a-zA-Z0-9().\-/_]{3,128}$/.test(name)) throw invalidParameterValue(`Launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'`);
      if (state.launchTemplates.values().some((t) => inScope(t, scope) && t.launchTemplateName === name)) {
        throw new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', `Launch template name already in use.`);
      }
      const doc: LaunchTemplateDoc = {
        ...scope, launchTemplateId: newId('lt'), launchTemplateName: name, createdBy: ctx.caller.arn, createTime: new Date(now()).toISOString(),
        defaultVersion: 1, tags: tagsFromSpecs(params, 'launch-template'),
        versions: [readData(params.struct('LaunchTemplateData'), 1, now(), params.get('VersionDescription'))],
      };
      await state.launchTemplates.save(doc.launchTemplateId, doc);
      return { launchTemplate: templateXml(doc) };
    },

    async CreateLaunchTemplateVersion(params, ctx) {
      const t = findTemplate(state, scopeOf(ctx), refOf(params));
      const n = Math.max(...t.versions.map((v) => v.versionNumber)) + 1;
      const source = params.get('SourceVersion');
      const base = source ? findVersion(t, source) : undefined;
      const data = readData(params.struct('LaunchTemplateData'), n, now(), params.get('VersionDescription'));
      const v: LaunchTemplateVersionDoc = base ? {
        ...base, ...Object.fromEntries(Object.entries(data).filter(([, x]) => x !== undefined && !(Array.isArray(x) && x.length === 0))),
        versionNumber: n, createTime: data.createTime, description: data.description,
      } as LaunchTemplateVersionDoc : data;
      const next = { ...t, versions: [...t.versions, v] };
      await state.launchTemplates.save(t.launchTemplateId, next);
      return { launchTemplateVersion: versionXml(next, v) };
    },

    DescribeLaunchTemplates(params, ctx) {
      const scope = scopeOf(ctx);
      const ids = params.list('LaunchTemplateId');
      const names = params.list('LaunchTemplateName');
      for (const id of ids) findTemplate(state, scope, { launchTemplateId: id });
      if (names.some((n) => !state.launchTemplates.values().some((t) => inScope(t, scope) && t.launchTemplateName === n))) {
        throw new AwsError('InvalidLaunchTemplateName.NotFoundException', 'At least one of the launch templates specified in the request does not exist.');
      }
      let list = state.launchTemplates.values().filter((t) => inScope(t, scope))
        .filter((t) => (ids.length === 0 && names.length === 0) || ids.includes(t.launchTemplateId) || names.includes(t.launchTemplateName));
      list = applyFilters(list, readFilters(params), {
        'launch-template-name': (t) => t.launchTemplateName,
        'create-time': (t) => t.createTime,
      }, (t) => t.tags);
      const p = page(list.sort((a, b) => a.launchTemplateId.localeCompare(b.launchTemplateId)), (t) => t.launchTemplateId, maxResultsIn(params, 1, 200), params.get('NextToken'));
      return { launchTemplates: p.items.map(templateXml), nextToken: p.nextToken };
    },

    DescribeLaunchTemplateVersions(params, ctx) {
      const t = findTemplate(state, scopeOf(ctx), refOf(params));
      const wanted = params.list('LaunchTemplateVersion');
      const versions = wanted.length ? wanted.map((w) => findVersion(t, w)) : [...t.versions].sort((a, b) => b.versionNumber - a.versionNumber);
      return { launchTemplateVersionSet: versions.map((v) => versionXml(t, v)) };
    },

    async DeleteLaunchTemplate(params, ctx) {
      const t = findTemplate(state, scopeOf(ctx), refOf(params));
      await state.launchTemplates.remove(t.launchTemplateId);
      return { launchTemplate: templateXml(t) };
    },
  };
}
