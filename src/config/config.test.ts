/** The AWS endpoint settings of KeksConfig: defaults, environment, validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, defaultConfig, validateConfig } from './config.js';

test('AWS endpoint defaults: port 4566, account 000000000000, root key test/test', () => {
  const c = defaultConfig({});
  assert.deepEqual([c.awsPort, c.awsAccountId, c.awsAccessKeyId, c.awsSecretAccessKey], [4566, '000000000000', 'test', 'test']);
  assert.equal(validateConfig(c), c);
});

test('AWS endpoint settings come from KEKS_AWS_* variables', () => {
  const c = defaultConfig({ KEKS_AWS_PORT: '0', KEKS_AWS_ACCOUNT: '123456789012', KEKS_AWS_ACCESS_KEY_ID: 'AKIAROOT', KEKS_AWS_SECRET_ACCESS_KEY: 's3cr3t/+' });
  assert.deepEqual([c.awsPort, c.awsAccountId, c.awsAccessKeyId, c.awsSecretAccessKey], [0, '123456789012', 'AKIAROOT', 's3cr3t/+']);
  validateConfig(c);
});

test('invalid AWS settings are refused with the flag named', () => {
  const base = defaultConfig({});
  assert.throws(() => validateConfig({ ...base, awsPort: 70000 }), /--aws-port must be a TCP port/);
  assert.throws(() => validateConfig({ ...base, awsPort: 1.5 }), ConfigError);
  assert.throws(() => validateConfig({ ...base, port: 4566, awsPort: 4566 }), /must differ/);
  assert.doesNotThrow(() => validateConfig({ ...base, port: 0, awsPort: 0 }));
  assert.throws(() => validateConfig({ ...base, awsAccountId: '12345' }), /12-digit/);
  assert.throws(() => validateConfig({ ...base, awsAccessKeyId: 'a/b' }), /--aws-access-key-id/);
  assert.throws(() => validateConfig({ ...base, awsAccessKeyId: '' }), /--aws-access-key-id/);
  assert.throws(() => validateConfig({ ...base, awsSecretAccessKey: '' }), /--aws-secret-access-key/);
  assert.throws(() => validateConfig({ ...base, awsSecretAccessKey: 'a b' }), /--aws-secret-access-key/);
});
