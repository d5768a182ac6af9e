import { defineCounter, defineGauge, defineHistogram, metricsRegistry } from './metrics';

describe('defineCounter / defineGauge / defineHistogram', () => {
  it('register on the process registry', async () => {
    defineCounter({ name: 'spec_defined_total', help: 'a counter of this spec', labelNames: ['kind'] as const }).inc({ kind: 'a' }, 2);
    defineGauge({ name: 'spec_defined_level', help: 'a gauge of this spec' }).set(7);
    defineHistogram({ name: 'spec_defined_seconds', help: 'a histogram of this spec', buckets: [1] }).observe(0.5);
    const text = await metricsRegistry.metrics();
    expect(text).toContain('spec_defined_total{kind="a"} 2');
    expect(text).toContain('spec_defined_level 7');
    expect(text).toContain('spec_defined_seconds_bucket{le="1"} 1');
  });

  it('declare a name once: declaring it again (a provider made twice) returns the first metric', () => {
    const first = defineCounter({ name: 'spec_once_total', help: 'first' });
    expect(defineCounter({ name: 'spec_once_total', help: 'second' })).toBe(first);
  });

  it('refuse a name already declared as another type', () => {
    defineGauge({ name: 'spec_typed', help: 'a gauge' });
    expect(() => defineCounter({ name: 'spec_typed', help: 'a counter' })).toThrow('metric spec_typed is already declared as another type');
  });
});
