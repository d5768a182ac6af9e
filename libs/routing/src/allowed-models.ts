import { PROVIDER_TYPES, ProviderType, RoutingTableSnapshot } from '@ish/contracts';
import { AUTO_MODEL, parseModelRef } from './parse-model-ref';

/** What a request asks for, as a client wrote it: `model` (an id, an alias, `provider/model`, `auto`) and maybe `provider`. */
export interface ModelRequest {
  model: string;
  provider?: ProviderType;
}

interface Entry {
  raw: string;
  provider?: string;
  /** undefined: every model of `provider` (`provider/*`) */
  model?: string;
}

const PROVIDERS: ReadonlySet<string> = new Set(PROVIDER_TYPES);

function parseEntry(raw: string): Entry {
  const entry = raw.trim();
  if (entry.endsWith('/*')) {
    const provider = entry.slice(0, -2).toLowerCase();
    if (PROVIDERS.has(provider)) return { raw: entry, provider };
  }
  const ref = parseModelRef(entry);
  return { raw: entry, provider: ref.provider, model: ref.model };
}

function entryServes(entry: Entry, provider: string, model: string): boolean {
  if (entry.provider === undefined) return entry.model === model;
  return entry.provider === provider && (entry.model === undefined || entry.model === model);
}

/**
 * API.md "Governance": may a list (null: every model) call this request's model? An entry matches by
 * name (an alias, `auto`, an id as written), a bare id matches that id on any provider, `provider/id`
 * and `provider/*` match on that provider. A request that names no provider may land on any provider
 * serving the id (`servingProviders`: those whose routable instances can take it), so a
 * provider-bound entry allows it only when it covers every one of them.
 */
export function isModelAllowed(list: readonly string[] | null | undefined, request: ModelRequest, servingProviders: readonly string[] = []): boolean {
  if (list === null || list === undefined) return true;
  const raw = request.model.trim();
  const ref = parseModelRef(raw);
  const entries = list.map(parseEntry);
  if (entries.some((entry) => entry.raw === raw)) return true;
  const provider = ref.provider ?? request.provider;
  if (provider) return entries.some((entry) => entryServes(entry, provider, ref.model));
  if (entries.some((entry) => entry.provider === undefined && entry.model === ref.model)) return true;
  return servingProviders.length > 0 && servingProviders.every((serving) => entries.some((entry) => entryServes(entry, serving, ref.model)));
}

/** Allowed by every list that applies (a key's own and its owner's: the owner's caps the key's). */
export function isModelAllowedByAll(lists: readonly (readonly string[] | null | undefined)[], request: ModelRequest, servingProviders: readonly string[] = []): boolean {
  return lists.every((list) => isModelAllowed(list, request, servingProviders));
}

/** What two entries both allow, as one entry, or undefined (judged by names, entry against entry). */
function intersectEntries(a: Entry, b: Entry): string | undefined {
  if (a.raw === b.raw) return a.raw;
  if (a.provider === undefined && b.provider === undefined) return a.model === b.model ? a.raw : undefined;
  if (a.provider !== undefined && b.provider !== undefined && a.provider !== b.provider) return undefined;
  const provider = (a.provider ?? b.provider) as string;
  if (a.model !== undefined && b.model !== undefined) return a.model === b.model ? `${provider}/${a.model}` : undefined;
  const model = a.model ?? b.model;
  return model === undefined ? `${provider}/*` : `${provider}/${model}`;
}

/**
 * The one list a credential is held to, for `GET /auth/me`: what both a key's list and its owner's
 * allow, entry by entry (null when neither has a list).
 */
export function effectiveAllowedModels(own: readonly string[] | null | undefined, owner: readonly string[] | null | undefined): string[] | null {
  if (own === null || own === undefined) return owner ? [...owner] : null;
  if (owner === null || owner === undefined) return [...own];
  const ownerEntries = owner.map(parseEntry);
  const result: string[] = [];
  for (const a of own.map(parseEntry)) {
    for (const b of ownerEntries) {
      const both = intersectEntries(a, b);
      if (both !== undefined && !result.includes(both)) result.push(both);
    }
  }
  return result;
}

/**
 * Entries of an allowedModels list that name nothing the routing table knows (no instance lists the
 * model, no such provider, not `auto` nor a fallback key): allowed, but the answer warns about them.
 * A catch-all instance (no `models`) may serve any id, so then only unknown `provider/*` are named.
 */
export function unknownModelEntries(entries: readonly string[], table: Pick<RoutingTableSnapshot, 'instances' | 'fallbacks' | 'aliases'>): string[] {
  const known = new Set<string>([AUTO_MODEL, ...Object.keys(table.fallbacks ?? {}), ...Object.keys(table.aliases ?? {})]);
  const catchAll = new Set<string>();
  for (const instance of table.instances) {
    if (instance.models.length === 0) catchAll.add(instance.providerType);
    for (const model of instance.models) {
      known.add(model);
      known.add(`${instance.providerType}/${model}`);
    }
  }
  return entries.filter((raw) => {
    const entry = parseEntry(raw);
    if (entry.model === undefined) return false;
    if (known.has(entry.raw) || (known.has(entry.model) && entry.provider === undefined)) return false;
    if (entry.provider !== undefined) return !catchAll.has(entry.provider) && !known.has(`${entry.provider}/${entry.model}`);
    return catchAll.size === 0;
  });
}
