/** `keks start` flags for the default cluster shape: --nodes, --zones, --region, --instance-type. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from './args.js';
import { ConfigError, effectiveZones } from '../config/config.js';

test('defaults: 3 t3.medium nodes over <region>a,b,c', () => {
  const { config } = parseArgs(['start'], {});
  assert.equal(config.nodes, 3);
  assert.equal(config.instanceType, 't3.medium');
  assert.equal(config.region, 'us-east-1');
  assert.deepEqual(effectiveZones(config), ['us-east-1a', 'us-east-1b', 'us-east-1c']);
  assert.deepEqual(effectiveZones(parseArgs(['start', '--region', 'eu-west-1'], {}).config), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  assert.equal(parseArgs(['start'], { AWS_REGION: 'ap-southeast-2' }).config.region, 'ap-southeast-2');
});

test('flags set the shape and are validated', () => {
  const { config } = parseArgs(['start', '--nodes', '0', '--zones', 'us-west-2a,us-west-2b', '--region', 'us-west-2', '--instance-type=m5.large'], {});
  assert.deepEqual([config.nodes, config.zones, config.region, config.instanceType], [0, ['us-west-2a', 'us-west-2b'], 'us-west-2', 'm5.large']);
  assert.throws(() => parseArgs(['start', '--nodes', '-1'], {}), ConfigError);
  assert.throws(() => parseArgs(['start', '--zones', 'nowhere'], {}), /not an availability zone/);
  assert.throws(() => parseArgs(['start', '--instance-type', 'z9.huge'], {}), /is not simulated/);
});

test('AWS endpoint flags: --aws-port, --aws-account, root key id and secret', () => {
  const { config } = parseArgs(['start', '--aws-port', '0', '--aws-account=111122223333', '--aws-access-key-id', 'ROOTKEY', '--aws-secret-access-key', 'sec'], {});
  assert.deepEqual([config.awsPort, config.awsAccountId, config.awsAccessKeyId, config.awsSecretAccessKey], [0, '111122223333', 'ROOTKEY', 'sec']);
  assert.equal(parseArgs(['start'], { KEKS_AWS_PORT: '4600' }).config.awsPort, 4600);
  assert.equal(parseArgs(['start', '--aws-port', '4700'], { KEKS_AWS_PORT: '4600' }).config.awsPort, 4700);
  assert.throws(() => parseArgs(['start', '--aws-port', 'x'], {}), /--aws-port must be a TCP port/);
  assert.throws(() => parseArgs(['start', '--aws-port', ''], {}), /--aws-port must be a TCP port/);
  assert.throws(() => parseArgs(['start', '--aws-account', 'abc'], {}), /12-digit/);
});

test('timing flags: --time-scale, --realistic-timing, KEKS_TIME_SCALE', () => {
  assert.equal(parseArgs(['start'], {}).config.timeScale, 0);
  assert.equal(parseArgs(['start', '--time-scale', '0.01'], {}).config.timeScale, 0.01);
  assert.equal(parseArgs(['start', '--realistic-timing'], {}).config.timeScale, 1);
  assert.equal(parseArgs(['start'], { KEKS_TIME_SCALE: '0.5' }).config.timeScale, 0.5);
  assert.throws(() => parseArgs(['start', '--time-scale', '-1'], {}), /--time-scale must be a number from 0/);
  assert.throws(() => parseArgs(['start', '--time-scale', 'fast'], {}), /--time-scale must be a number from 0/);
});
