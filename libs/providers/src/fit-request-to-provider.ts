import type { ProviderType } from '@ish/contracts';
import { UnsupportedParameterError } from './adapters/unsupported-parameter';
import { ParameterGap, PROVIDER_SPECS } from './provider-specs';

/** The request as one provider gets it, and what was dropped on the way (`x-ish-dropped-params`). */
export interface FittedRequest<T> {
  request: T;
  dropped: string[];
}

type Request = { messages?: unknown } & Record<string, unknown>;

const MESSAGE_FIELD = /^messages\.\*\.(.+)$/;

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/**
 * Checks a Chat Completions request against what the provider honours (PROVIDER_SPECS' parameterGaps):
 * throws UnsupportedParameterError for the first gap the request falls into, or with `dropParams`
 * leaves those parameters out. The request is copied only when something is dropped.
 */
export function fitRequestToProvider<T extends Request>(request: T, providerType: ProviderType, dropParams: boolean): FittedRequest<T> {
  const spec = PROVIDER_SPECS[providerType];
  if (spec.parameterGaps.length === 0) return { request, dropped: [] };
  let fitted = request;
  const dropped: string[] = [];
  for (const gap of spec.parameterGaps) {
    const field = MESSAGE_FIELD.exec(gap.param)?.[1];
    const offending = field ? offendingMessage(fitted, field) : isSet(fitted[gap.param]) && !gap.honours?.(fitted[gap.param]) ? gap.param : undefined;
    if (offending === undefined) continue;
    if (!dropParams) throw new UnsupportedParameterError(offending, spec.label, gap.detail);
    fitted = field ? withoutMessageField(fitted, field) : withoutParam(fitted, gap);
    dropped.push(gap.param);
  }
  return { request: fitted, dropped };
}

function offendingMessage(request: Request, field: string): string | undefined {
  if (!Array.isArray(request.messages)) return undefined;
  const index = request.messages.findIndex((message) => isSet((message as Record<string, unknown> | null)?.[field]));
  return index < 0 ? undefined : `messages.${index}.${field}`;
}

function withoutMessageField<T extends Request>(request: T, field: string): T {
  const messages = (request.messages as Record<string, unknown>[]).map((message) => {
    if (!isSet(message?.[field])) return message;
    const { [field]: _dropped, ...rest } = message;
    return rest;
  });
  return { ...request, messages };
}

function withoutParam<T extends Request>(request: T, gap: ParameterGap): T {
  const { [gap.param]: _dropped, ...rest } = request;
  return rest as T;
}
