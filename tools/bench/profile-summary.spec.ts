import { packageOf, summarize } from './profile-summary';

describe('CPU profile summary', () => {
  const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 0 });
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(idle)', '') },
      { id: 2, callFrame: frame('parse', '/work/main/node_modules/class-validator/cjs/index.js') },
      { id: 3, callFrame: frame('(garbage collector)', '') },
      { id: 4, callFrame: frame('complete', '/work/main/dist/libs/relay-core/src/chat-executor.js') },
      { id: 5, callFrame: frame('handle', '/srv/node_modules/@nestjs/core/router/router-execution-context.js') },
    ],
    samples: [1, 2, 2, 3, 4, 5, 1],
    timeDeltas: [5000, 1000, 1000, 500, 250, 250, 9000],
  };

  it('sums self time per package and per function, idle left out, busiest first', () => {
    const summary = summarize(profile);
    expect(summary.total).toBe(3);
    expect(summary.byPackage.map((p) => [p.name, p.ms])).toEqual([
      ['class-validator', 2],
      ['GC', 0.5],
      ['ish:relay-core', 0.25],
      ['@nestjs/core', 0.25],
    ]);
    expect(summary.byPackage[0].share).toBeCloseTo(2 / 3);
    expect(summary.byFunction[0].name).toBe('parse class-validator/cjs/index.js:1');
  });

  it('names Node internals and scoped packages', () => {
    expect(packageOf('node:internal/streams/readable', 'read')).toBe('node:streams');
    expect(packageOf('node:_http_server', 'f')).toBe('node:http');
    expect(packageOf('node:internal/deps/undici/undici', 'fetch')).toBe('node: undici (fetch)');
    expect(packageOf('node:internal/modules/cjs/loader', 'wrapSafe')).toBe('node: module loading (start-up)');
    expect(packageOf('', 'writev')).toMatch(/^native/);
    expect(packageOf('/x/node_modules/@anthropic-ai/sdk/core.js', 'f')).toBe('@anthropic-ai/sdk');
    expect(packageOf('/x/dist/apps/relay/src/main.js', 'f')).toBe('ish:relay');
  });
});
