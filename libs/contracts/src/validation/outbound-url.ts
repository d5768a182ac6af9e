import { isIP } from 'node:net';
import { registerDecorator, ValidationOptions } from 'class-validator';

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'metadata.azure.com', 'instance-data', 'instance-data.ec2.internal']);

/** true for link-local and cloud-metadata addresses, which outbound calls must never reach */
export function isMetadataOrLinkLocal(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (METADATA_HOSTS.has(host)) return true;
  const family = isIP(host);
  if (family === 4) {
    const [a, b] = host.split('.').map(Number);
    return (a === 169 && b === 254) || host === '100.100.100.200';
  }
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped) return isMetadataOrLinkLocal(mapped[1]);
    // WHATWG URL writes IPv4-mapped addresses in hex: ::ffff:a9fe:a9fe
    const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
    if (hex) {
      const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
      return isMetadataOrLinkLocal(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
    }
    return /^fe[89ab][0-9a-f]:/.test(host) || host.startsWith('fd00:ec2::');
  }
  return false;
}

/** Why `value` is not an acceptable outbound http(s) URL, or null when it is. */
export function outboundUrlProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return 'must be an http(s) URL of at most 2048 characters';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be a valid http(s) URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (url.username || url.password) return 'must not carry credentials; use apiKey';
  if (isMetadataOrLinkLocal(url.hostname)) return 'must not point at a link-local or cloud-metadata address';
  return null;
}

/** class-validator: an http(s) URL that is not link-local / cloud metadata */
export function IsOutboundUrl(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isOutboundUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => outboundUrlProblem(value) === null,
        defaultMessage: (args) => `${args?.property} ${outboundUrlProblem(args?.value) ?? 'is invalid'}`,
      },
    });
}
