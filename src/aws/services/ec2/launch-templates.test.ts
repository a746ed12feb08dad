import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { XmlObject } from '../../core/types.js';
import { ACCOUNT, ec2Harness, items, rejectsWith } from './test-harness.js';

describe('EC2 launch templates', () => {
  it('create, version, describe, resolve for launches and delete', async () => {
    const h = await ec2Harness();
    const created = (await h.call('CreateLaunchTemplate', { LaunchTemplateName: 'nodes', VersionDescription: 'v1', 'LaunchTemplateData.InstanceType': 't3.large', 'LaunchTemplateData.ImageId': 'ami-11111111' })).launchTemplate as XmlObject;
    const id = String(created.launchTemplateId);
    assert.match(id, /^lt-[0-9a-f]{17}$/);
    assert.deepEqual([created.defaultVersionNumber, created.latestVersionNumber, created.createdBy], [1, 1, `arn:aws:iam::${ACCOUNT}:root`]);
    await rejectsWith(h.call('CreateLaunchTemplate', { LaunchTemplateName: 'nodes', 'LaunchTemplateData.InstanceType': 't3.large' }), 'InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.');

    const v2 = (await h.call('CreateLaunchTemplateVersion', { LaunchTemplateId: id, SourceVersion: '$Latest', 'LaunchTemplateData.InstanceType': 'm5.large' })).launchTemplateVersion as XmlObject;
    assert.equal(v2.versionNumber, 2);
    assert.deepEqual(v2.launchTemplateData, { imageId: 'ami-11111111', instanceType: 'm5.large', keyName: undefined, userData: undefined, securityGroupIdSet: undefined, tagSpecificationSet: undefined }, 'the source version is copied, then overridden');
    const [t] = items(await h.call('DescribeLaunchTemplates', { 'LaunchTemplateName.1': 'nodes' }), 'launchTemplates');
    assert.deepEqual([t.defaultVersionNumber, t.latestVersionNumber], [1, 2]);
    const versions = items(await h.call('DescribeLaunchTemplateVersions', { LaunchTemplateName: 'nodes', 'LaunchTemplateVersion.1': '$Latest', 'LaunchTemplateVersion.2': '$Default' }), 'launchTemplateVersionSet');
    assert.deepEqual(versions.map((v) => [v.versionNumber, v.defaultVersion]), [[2, false], [1, true]]);

    const b = h.ec2.backend;
    assert.equal(b.launchTemplateData?.('ap-northeast-2', ACCOUNT, { launchTemplateName: 'nodes' })?.instanceType, 't3.large');
    assert.equal(b.launchTemplateData?.('ap-northeast-2', ACCOUNT, { launchTemplateId: id, version: '$Latest' })?.instanceType, 'm5.large');
    assert.equal(b.launchTemplateData?.('ap-northeast-2', ACCOUNT, { launchTemplateId: id, version: '7' }), undefined);
    assert.equal(b.launchTemplateData?.('ap-northeast-2', '999999999999', { launchTemplateName: 'nodes' }), undefined, 'other accounts do not see it');

    await rejectsWith(h.call('DescribeLaunchTemplates', { 'LaunchTemplateName.1': 'other' }), 'InvalidLaunchTemplateName.NotFoundException');
    await rejectsWith(h.call('DescribeLaunchTemplateVersions', { LaunchTemplateId: id, 'LaunchTemplateVersion.1': '9' }), 'InvalidLaunchTemplateId.VersionNotFound');
    await h.call('DeleteLaunchTemplate', { LaunchTemplateName: 'nodes' });
    await rejectsWith(h.call('DescribeLaunchTemplates', { 'LaunchTemplateId.1': id }), 'InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`);
  });
});
