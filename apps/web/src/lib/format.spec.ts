import { duration, formatBudgetLimit, formatFallbacks, formatKeyLimits, formatModelList, parseBudget, parseFallbacks, parseLimit, parseModelList, percent, shortId, timeAgo, withItem } from './format';

describe('format', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');

  it('says how long ago', () => {
    const ago = (s: number) => new Date(now - s * 1000).toISOString();
    expect([ago(2), ago(30), ago(600), ago(7200), ago(3 * 86_400), ago(-90)].map((iso) => timeAgo(iso, now))).toEqual(['just now', '30 s ago', '10 min ago', '2 h ago', '3 d ago', 'in 1 min']);
    expect([timeAgo(null, now), timeAgo('not a date', now)]).toEqual(['—', '—']);
  });

  it('formats durations, ratios and ids', () => {
    expect([duration(850), duration(1234), duration(12_345), duration(0), duration(null)]).toEqual(['850 ms', '1.2 s', '12 s', '—', '—']);
    expect(percent(0.756)).toBe('76 %');
    expect([shortId('ai_0f5d7a4e-1111-2222'), shortId('short')]).toEqual(['ai_0f5d7…', 'short']);
  });
});

describe('fallbacks', () => {
  it('round-trips the routing fallbacks', () => {
    const fallbacks = { 'gpt-4o': ['gpt-4o-mini', 'sim-small'], 'claude-3': ['gpt-4o'] };
    expect(formatFallbacks(fallbacks)).toBe('gpt-4o: gpt-4o-mini, sim-small\nclaude-3: gpt-4o');
    expect(parseFallbacks(formatFallbacks(fallbacks))).toEqual(fallbacks);
    expect(parseFallbacks('\n  a :b,, c \n\n')).toEqual({ a: ['b', 'c'] });
  });

  it('names the line that is wrong', () => {
    expect(() => parseFallbacks('a: b\nno colon')).toThrow('Line 2: write "model: fallback, fallback"');
    expect(() => parseFallbacks('a:')).toThrow('Line 1');
    expect(() => parseFallbacks('a: b\na: c')).toThrow('Line 2: a is listed twice');
    expect(() => parseFallbacks('fast', 'alias: model, model')).toThrow('Line 1: write "alias: model, model"');
  });
});

describe('withItem', () => {
  it('adds once and removes', () => {
    expect(withItem(['a'], 'b', true)).toEqual(['a', 'b']);
    expect(withItem(['a', 'b'], 'b', true)).toEqual(['a', 'b']);
    expect(withItem(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});

describe('allowedModels in the console', () => {
  it('reads a typed list: commas or lines, trimmed, each once; nothing typed is every model', () => {
    expect(parseModelList(' gpt-4o, openai/*\nclaude-sonnet-4 ,gpt-4o,, ')).toEqual(['gpt-4o', 'openai/*', 'claude-sonnet-4']);
    expect(parseModelList('  ,\n ')).toBeUndefined();
  });

  it('shows all, none or the list', () => {
    expect(formatModelList(null)).toBe('all');
    expect(formatModelList([])).toBe('none');
    expect(formatModelList(['gpt-4o', 'anthropic/*'])).toBe('gpt-4o, anthropic/*');
  });

  it("shows a key's request limit, and its token limit when it has one", () => {
    expect(formatKeyLimits({ rateLimitPerMinute: 120, tokensPerMinute: null })).toBe('120/min');
    expect(formatKeyLimits({ rateLimitPerMinute: 0, tokensPerMinute: 0 })).toBe('unlimited');
    expect(formatKeyLimits({ rateLimitPerMinute: 120, tokensPerMinute: 20000 })).toBe('120/min · 20,000 tokens/min');
  });
});

describe('budgets and limits as typed', () => {
  it('reads an empty limit as no budget and keeps any other number for the API to judge', () => {
    expect(parseBudget('', 'day')).toBeNull();
    expect(parseBudget('  ', 'month')).toBeNull();
    expect(parseBudget('2.5', 'week')).toEqual({ limitUsd: 2.5, period: 'week' });
    expect(parseBudget('-1', 'total')).toEqual({ limitUsd: -1, period: 'total' });
    expect([formatBudgetLimit({ limitUsd: 0.25 }), formatBudgetLimit(null)]).toEqual(['0.25', '']);
  });

  it('reads an empty per-minute limit as none', () => {
    expect([parseLimit(''), parseLimit('0'), parseLimit('5000')]).toEqual([null, 0, 5000]);
  });
});
