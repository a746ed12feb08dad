/** XML codec: escaping, value mapping, and the four envelopes botocore parses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ec2ErrorXml, ec2ResponseXml, escapeXml, queryErrorXml, queryResponseXml, xmlContent } from './xml.js';

test('escapeXml escapes markup and replaces characters XML cannot carry', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
  assert.equal(escapeXml('a\r\nb\tc'), 'a&#13;\nb\tc');
  assert.equal(escapeXml('x\u0000y\u001b'), 'x\uFFFDy\uFFFD');
  assert.equal(escapeXml('\ud83d\ude00 ok \ud800'), '\ud83d\ude00 ok \uFFFD');
  assert.equal(escapeXml('%7B%22Version%22'), '%7B%22Version%22');
});

test('values: objects in key order, lists as member/item, dates ISO with ms, nulls omitted', () => {
  const v = { User: { UserName: 'a<b', CreateDate: new Date(Date.UTC(2026, 10, 22, 4, 21, 36)), Gone: undefined, Nil: null, On: true, N: 3 }, Tags: [{ Key: 'k', Value: 'v' }], Ids: ['x', 'y'] };
  assert.equal(xmlContent(v, 'member'),
    '<User><UserName>a&lt;b</UserName><CreateDate>2026-11-22T04:21:36.000Z</CreateDate><On>true</On><N>3</N></User>'
    + '<Tags><member><Key>k</Key><Value>v</Value></member></Tags><Ids><member>x</member><member>y</member></Ids>');
  assert.equal(xmlContent({ groupSet: [] }, 'item'), '<groupSet></groupSet>');
  assert.equal(xmlContent({ s: ['a'] }, 'item'), '<s><item>a</item></s>');
});

test('query and ec2 success envelopes', () => {
  assert.equal(queryResponseXml('GetCallerIdentity', 'https://sts.amazonaws.com/doc/2011-06-15/', { Arn: 'arn', Account: '1' }, 'rid'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    + '<GetCallerIdentityResult><Arn>arn</Arn><Account>1</Account></GetCallerIdentityResult>'
    + '<ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></GetCallerIdentityResponse>');
  assert.match(queryResponseXml('DeleteUser', 'ns', undefined, 'r'), /<DeleteUserResult><\/DeleteUserResult><ResponseMetadata>/);
  assert.equal(ec2ResponseXml('DescribeVpcs', 'http://ec2.amazonaws.com/doc/2016-11-15/', { vpcSet: [{ vpcId: 'vpc-1' }] }, 'rid'),
    '<?xml version="1.0" encoding="UTF-8"?>\n<DescribeVpcsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>rid</requestId>'
    + '<vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet></DescribeVpcsResponse>');
});

test('error envelopes: query Sender/Receiver with xmlns, ec2 Response/Errors/RequestID', () => {
  assert.equal(queryErrorXml({ code: 'NoSuchEntity', message: 'The role with name x cannot be found.', requestId: 'r', status: 404, xmlns: 'https://iam.amazonaws.com/doc/2010-05-08/' }),
    '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>'
    + '<Message>The role with name x cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>');
  assert.match(queryErrorXml({ code: 'InternalFailure', message: 'm', requestId: 'r', status: 500 }), /<ErrorResponse><Error><Type>Receiver<\/Type>/);
  assert.equal(ec2ErrorXml({ code: 'InvalidVpcID.NotFound', message: "The vpc ID 'vpc-1' does not exist & <x>", requestId: 'r' }),
    '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>InvalidVpcID.NotFound</Code><Message>The vpc ID &apos;vpc-1&apos; does not exist &amp; &lt;x&gt;</Message></Error></Errors><RequestID>r</RequestID></Response>');
});
