/** Accept / Accept-Encoding parsing and conditional-request rules of the OpenAPI endpoints. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptsGzip, httpDate, isNotModified, negotiate, oneYearLater, parseAccept } from './negotiation.js';

test('parseAccept sorts by q, then specificity; empty means */*', () => {
  const c = parseAccept('*/*;q=0.5, application/json, application/*;q=0.9');
  assert.deepEqual(c.map((x) => `${x.type}/${x.subType}`), ['application/json', 'application/*', '*/*']);
  assert.deepEqual(parseAccept('').map((x) => `${x.type}/${x.subType}`), ['*/*']);
});

test('negotiate: JSON for kubectl and wildcards, nothing for protobuf-only or q=0', () => {
  const offers = ['application/json'];
  assert.equal(negotiate(parseAccept('application/json, */*'), offers), 'application/json');
  assert.equal(negotiate(parseAccept(undefined), offers), 'application/json');
  assert.equal(negotiate(parseAccept('application/com.github.proto-openapi.spec.v2@v1.0+protobuf'), offers), undefined);
  assert.equal(negotiate(parseAccept('application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json;q=0.5'), offers), 'application/json');
  assert.equal(negotiate(parseAccept('application/json;q=0'), offers), undefined);
});

test('acceptsGzip', () => {
  assert.equal(acceptsGzip('gzip'), true);
  assert.equal(acceptsGzip('deflate, gzip;q=0.5'), true);
  assert.equal(acceptsGzip('gzip;q=0'), false);
  assert.equal(acceptsGzip('identity'), false);
  assert.equal(acceptsGzip(undefined), false);
});

test('isNotModified: If-None-Match (weak compare, lists, *) wins over If-Modified-Since', () => {
  const etag = '"ABC"';
  const t = Date.UTC(2025, 0, 1, 10, 0, 0, 500);
  assert.equal(isNotModified({ ifNoneMatch: '"ABC"' }, etag, t), true);
  assert.equal(isNotModified({ ifNoneMatch: 'W/"ABC"' }, etag, t), true);
  assert.equal(isNotModified({ ifNoneMatch: '"X", "ABC"' }, etag, t), true);
  assert.equal(isNotModified({ ifNoneMatch: '*' }, etag, t), true);
  assert.equal(isNotModified({ ifNoneMatch: '"X"', ifModifiedSince: httpDate(t + 60_000) }, etag, t), false);
  assert.equal(isNotModified({ ifModifiedSince: httpDate(t) }, etag, t), true, 'second granularity');
  assert.equal(isNotModified({ ifModifiedSince: httpDate(t - 1000) }, etag, t), false);
  assert.equal(isNotModified({ ifModifiedSince: 'garbage' }, etag, t), false);
  assert.equal(isNotModified({}, etag, t), false);
});

test('httpDate and oneYearLater', () => {
  assert.equal(httpDate(Date.UTC(2025, 0, 2, 3, 4, 5)), 'Thu, 02 Jan 2025 03:04:05 GMT');
  assert.equal(oneYearLater(Date.UTC(2024, 1, 29)), Date.UTC(2025, 2, 1), 'AddDate normalises Feb 29');
});
