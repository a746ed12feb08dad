/**
 * XML serialisation of `XmlValue` and the response / error envelopes of the query and ec2
 * protocols, in the shapes botocore's QueryParser / EC2QueryParser read (botocore/parsers.py):
 *
 * query  `<XResponse xmlns><XResult>…</XResult><ResponseMetadata><RequestId>…` (lists `<member>`)
 *        error `<ErrorResponse xmlns><Error><Type>Sender</Type><Code/><Message/></Error><RequestId/>`
 * ec2    `<XResponse xmlns><requestId>…</requestId>…` (lists `<item>`)
 *        error `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`
 *
 * The `<XResult>` wrapper is always written (empty for operations without output): botocore
 * looks the wrapper up by name for every modelled output and fails when it is missing.
 */
import type { XmlValue } from './types.js';

export type ListTag = 'member' | 'item';

const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Escapes text for element content and attribute values. Characters XML 1.0 cannot carry at
 * all (C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) become U+FFFD; CR is
 * written as `&#13;` so parsers do not normalise it away.
 */
export function escapeXml(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x26: out += '&amp;'; continue;
      case 0x3c: out += '&lt;'; continue;
      case 0x3e: out += '&gt;'; continue;
      case 0x22: out += '&quot;'; continue;
      case 0x27: out += '&apos;'; continue;
      case 0x0d: out += '&#13;'; continue;
    }
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c === 0xfffe || c === 0xffff) { out += '\uFFFD'; continue; }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) { out += s[i] + s[i + 1]; i++; } else out += '\uFFFD';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) { out += '\uFFFD'; continue; }
    out += s[i];
  }
  return out;
}

/** Date → ISO 8601 with milliseconds (2026-11-22T04:21:36.000Z). */
export function xmlTimestamp(d: Date): string {
  return d.toISOString();
}

function scalar(v: string | number | boolean | Date): string {
  if (v instanceof Date) return xmlTimestamp(v);
  return escapeXml(String(v));
}

/** The children of one element holding `value` (no surrounding tag). */
export function xmlContent(value: XmlValue, listTag: ListTag): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) {
    return value.filter((v) => v !== null && v !== undefined).map((v) => `<${listTag}>${xmlContent(v, listTag)}</${listTag}>`).join('');
  }
  if (typeof value === 'object' && !(value instanceof Date)) {
    let out = '';
    for (const [k, v] of Object.entries(value)) out += xmlElement(k, v, listTag);
    return out;
  }
  return scalar(value);
}

/** `<name>…</name>`, or '' when value is null/undefined. */
export function xmlElement(name: string, value: XmlValue, listTag: ListTag): string {
  if (value === null || value === undefined) return '';
  return `<${name}>${xmlContent(value, listTag)}</${name}>`;
}

/** A query-protocol success document. */
export function queryResponseXml(action: string, xmlns: string, result: XmlValue, requestId: string): string {
  return `${XML_DECL}<${action}Response xmlns="${escapeXml(xmlns)}">`
    + `<${action}Result>${xmlContent(result, 'member')}</${action}Result>`
    + `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`
    + `</${action}Response>`;
}

/** An ec2-protocol success document. */
export function ec2ResponseXml(action: string, xmlns: string, body: XmlValue, requestId: string): string {
  return `${XML_DECL}<${action}Response xmlns="${escapeXml(xmlns)}">`
    + `<requestId>${escapeXml(requestId)}</requestId>${xmlContent(body, 'item')}`
    + `</${action}Response>`;
}

/** A query-protocol error; Type is Receiver for 5xx (server faults), Sender otherwise. */
export function queryErrorXml(opts: { code: string; message: string; requestId: string; status: number; xmlns?: string }): string {
  const ns = opts.xmlns ? ` xmlns="${escapeXml(opts.xmlns)}"` : '';
  return `${XML_DECL}<ErrorResponse${ns}><Error><Type>${opts.status >= 500 ? 'Receiver' : 'Sender'}</Type>`
    + `<Code>${escapeXml(opts.code)}</Code><Message>${escapeXml(opts.message)}</Message></Error>`
    + `<RequestId>${escapeXml(opts.requestId)}</RequestId></ErrorResponse>`;
}

/** An ec2-protocol error (note `RequestID`). */
export function ec2ErrorXml(opts: { code: string; message: string; requestId: string }): string {
  return `${XML_DECL}<Response><Errors><Error><Code>${escapeXml(opts.code)}</Code><Message>${escapeXml(opts.message)}</Message></Error></Errors>`
    + `<RequestID>${escapeXml(opts.requestId)}</RequestID></Response>`;
}
