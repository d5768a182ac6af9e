/** "just now", "5 s ago", "3 min ago", "2 h ago", "4 d ago"; a future time as "in …". */
export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '—';
  const seconds = Math.round((now - then) / 1000);
  const span = Math.abs(seconds);
  const text = span < 5 ? null : span < 60 ? `${span} s` : span < 3600 ? `${Math.floor(span / 60)} min` : span < 86_400 ? `${Math.floor(span / 3600)} h` : `${Math.floor(span / 86_400)} d`;
  if (text === null) return 'just now';
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/** 850 → "850 ms", 1234 → "1.2 s", 0 or missing → "—" */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** 0.756 → "76 %" */
export function percent(ratio: number): string {
  return `${Math.round(ratio * 100)} %`;
}

/** A short form of a long id: the first 8 characters. */
export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

/** Model fallbacks as the operator edits them: one line per model, `model: fallback, fallback`. */
export function formatFallbacks(fallbacks: Record<string, string[]>): string {
  return Object.entries(fallbacks)
    .map(([model, list]) => `${model}: ${list.join(', ')}`)
    .join('\n');
}

/** Reads the lines of `formatFallbacks` back (routing aliases too); throws naming the line that is wrong and showing `example`. */
export function parseFallbacks(text: string, example = 'model: fallback, fallback'): Record<string, string[]> {
  const fallbacks: Record<string, string[]> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const colon = line.indexOf(':');
    const model = colon === -1 ? '' : line.slice(0, colon).trim();
    const list = colon === -1 ? [] : line.slice(colon + 1).split(',').map((m) => m.trim()).filter(Boolean);
    if (!model || list.length === 0) throw new Error(`Line ${index + 1}: write "${example}"`);
    if (fallbacks[model]) throw new Error(`Line ${index + 1}: ${model} is listed twice`);
    fallbacks[model] = list;
  });
  return fallbacks;
}

/** An allowedModels list as typed (commas or new lines); nothing typed: undefined, every model. */
export function parseModelList(text: string): string[] | undefined {
  const list = [...new Set(text.split(/[,\n]/).map((model) => model.trim()).filter(Boolean))];
  return list.length > 0 ? list : undefined;
}

/** An allowedModels list as a table shows it. */
export function formatModelList(list: string[] | null | undefined): string {
  if (!list) return 'all';
  return list.length > 0 ? list.join(', ') : 'none';
}

/** A key's limits as its row shows them: requests per minute, and tokens per minute when it has a limit. */
export function formatKeyLimits(key: { rateLimitPerMinute: number; tokensPerMinute?: number | null }): string {
  const requests = key.rateLimitPerMinute === 0 ? 'unlimited' : `${key.rateLimitPerMinute}/min`;
  return key.tokensPerMinute ? `${requests} · ${key.tokensPerMinute.toLocaleString('en-US')} tokens/min` : requests;
}

/** `list` with `item` added (on) or removed (off): the state change of a checkbox in a group. */
export function withItem<T>(list: T[], item: T, on: boolean): T[] {
  return on ? (list.includes(item) ? list : [...list, item]) : list.filter((x) => x !== item);
}

/** A budget as typed: no limit, none (null); otherwise the number as typed (the API judges it and names the field). */
export function parseBudget<P extends string>(limit: string, period: P): { limitUsd: number; period: P } | null {
  return limit.trim() === '' ? null : { limitUsd: Number(limit), period };
}

/** A budget's limit as its form field shows it. */
export function formatBudgetLimit(budget: { limitUsd: number } | null | undefined): string {
  return budget ? String(budget.limitUsd) : '';
}

/** A per-minute limit as typed: empty, `none` (null); otherwise the number as typed. */
export function parseLimit(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}
