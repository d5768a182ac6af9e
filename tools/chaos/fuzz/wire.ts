import { Operation } from './openapi';
import { BodySpec, Credential, FuzzRequest } from './requests';
import { RawJson } from './values';

/** What goes over the socket: a raw path (never normalised), headers and body bytes. */
export interface WireRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** The secrets the named credentials stand for; only the driver holds them. */
export interface CredentialSource {
  admin(): string;
  user(): string;
}

/** credentials that must be refused with 401, whatever the route */
const BOGUS: Record<Exclude<Credential, 'admin' | 'user' | 'none'>, Record<string, string>> = {
  'bogus-key': { authorization: `Bearer ish_${'A'.repeat(43)}` },
  'bogus-jwt': { authorization: 'Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiIsInNjb3BlcyI6WyJhZG1pbiJdfQ.' },
  'bogus-scheme': { authorization: 'Basic YWRtaW46YWRtaW4=' },
  'empty-bearer': { authorization: 'Bearer ' },
};

export function credentialHeaders(credential: Credential, source: CredentialSource): Record<string, string> {
  if (credential === 'admin') return { authorization: `Bearer ${source.admin()}` };
  if (credential === 'user') return { authorization: `Bearer ${source.user()}` };
  if (credential === 'none') return {};
  return BOGUS[credential];
}

/** JSON.stringify that writes `RawJson` parts as they are (`1e999`, 100 000 nested brackets). */
export function stringifyWithRaw(value: unknown): string {
  const raws: string[] = [];
  const token = `__ish_raw_${Math.random().toString(36).slice(2)}_`;
  const text =
    JSON.stringify(value, (_key, v: unknown) => {
      if (v instanceof RawJson) {
        raws.push(v.text);
        return `${token}${raws.length - 1}`;
      }
      return v;
    }) ?? '';
  if (raws.length === 0) return text;
  return text.replace(new RegExp(`"${token}(\\d+)"`, 'g'), (_m, index: string) => raws[Number(index)]);
}

/** The body of `bytes` bytes: `base` with one string field padded, a long array, or plain text. */
export function hugeBody(spec: Extract<BodySpec, { kind: 'huge' }>): Buffer {
  if (spec.shape === 'not-json') return Buffer.alloc(spec.bytes, 'x');
  if (spec.shape === 'array') {
    const count = Math.max(1, Math.floor((spec.bytes - 1) / 2));
    const text = `[${'0,'.repeat(count - 1)}0]`;
    return Buffer.from(text.length < spec.bytes ? text + ' '.repeat(spec.bytes - text.length) : text);
  }
  const base = spec.base && typeof spec.base === 'object' && !Array.isArray(spec.base) ? spec.base : {};
  const empty = Buffer.byteLength(stringifyWithRaw({ ...base, [spec.field]: '' }));
  const padding = Math.max(0, spec.bytes - empty);
  return Buffer.from(stringifyWithRaw({ ...base, [spec.field]: 'x'.repeat(padding) }));
}

function bodyBytes(body: BodySpec): { bytes: Buffer; contentType: string | null; contentEncoding?: string } {
  switch (body.kind) {
    case 'json':
      return { bytes: Buffer.from(stringifyWithRaw(body.value)), contentType: body.contentType };
    case 'text':
      return { bytes: Buffer.from(body.text), contentType: body.contentType };
    case 'bytes':
      return { bytes: Buffer.from(body.base64, 'base64'), contentType: body.contentType, contentEncoding: body.contentEncoding };
    case 'huge':
      return { bytes: hugeBody(body), contentType: 'application/json' };
  }
}

export function concretePath(operation: Operation, request: Pick<FuzzRequest, 'path' | 'query'>): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_m, name: string) => request.path[name] ?? '');
  return request.query ? `${path}?${request.query}` : path;
}

export function toWire(operation: Operation, request: FuzzRequest, credentials: CredentialSource): WireRequest {
  const headers: Record<string, string> = { ...request.headers, ...credentialHeaders(request.credential, credentials) };
  let body: Buffer | undefined;
  if (request.body) {
    const rendered = bodyBytes(request.body);
    body = rendered.bytes;
    if (rendered.contentType !== null) headers['content-type'] = rendered.contentType;
    if (rendered.contentEncoding) headers['content-encoding'] = rendered.contentEncoding;
  }
  return { method: operation.method.toUpperCase(), path: concretePath(operation, request), headers, body };
}
