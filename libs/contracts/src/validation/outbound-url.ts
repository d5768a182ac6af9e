import type { ValidationOptions } from 'class-validator';
import { isMetadataOrLinkLocal } from './outbound-address';
import { problemsDecorator } from './problems-decorator';

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
  return problemsDecorator('isOutboundUrl', (value, field = 'url') => {
    const problem = outboundUrlProblem(value);
    return problem === null ? [] : [{ field, message: problem }];
  }, options);
}
