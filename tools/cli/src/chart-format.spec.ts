import { CHART_LABEL_WIDTH, formatLatency, formatPercent, formatRate, formatUsd, lineChart, sparkline } from './chart-format';

describe('figure formats', () => {
  it('formatRate keeps two decimals below 10/s, one below 100/s, none above', () => {
    expect(formatRate(0)).toBe('0.00/s');
    expect(formatRate(0.167)).toBe('0.17/s');
    expect(formatRate(12.345)).toBe('12.3/s');
    expect(formatRate(840.4)).toBe('840/s');
  });

  it('formatPercent shows a ratio as a percentage with one decimal', () => {
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(0.025)).toBe('2.5%');
    expect(formatPercent(1)).toBe('100.0%');
  });

  it('formatLatency switches from milliseconds to seconds at one second', () => {
    expect(formatLatency(412.6)).toBe('413 ms');
    expect(formatLatency(999)).toBe('999 ms');
    expect(formatLatency(1250)).toBe('1.25 s');
  });

  it('formatUsd shows cents from a dollar up and four decimals below', () => {
    expect(formatUsd(12.345)).toBe('$12.35');
    expect(formatUsd(0.00421)).toBe('$0.0042');
    expect(formatUsd(0)).toBe('$0.0000');
  });
});

describe('sparkline', () => {
  it('draws one block per value, from the floor at 0 to a full block at the highest', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([0, 10, 5])).toBe('▁█▅');
  });

  it('is a flat floor when every value is 0, and empty without values', () => {
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([])).toBe('');
  });

  it('scales from 0, so one steady non-zero value reads as high, not as the floor', () => {
    expect(sparkline([5, 5])).toBe('██');
  });
});

describe('lineChart', () => {
  const format = (value: number) => value.toFixed(1);

  it('is always `height` rows, labels right-aligned to one width, from 0 to the highest value', () => {
    const rows = lineChart([0, 1, 2, 4], { height: 5, format });
    expect(rows).toHaveLength(5);
    expect(rows[0].slice(0, CHART_LABEL_WIDTH - 2)).toBe('     4.0');
    expect(rows[4].slice(0, CHART_LABEL_WIDTH - 2)).toBe('     0.0');
    // one column per value after the labels and the axis
    for (const row of rows) expect(row).toHaveLength(CHART_LABEL_WIDTH + 4);
  });

  it('keeps its height for a series of zeros and for no data at all (a line on the floor)', () => {
    for (const values of [[0, 0, 0], []]) {
      const rows = lineChart(values, { height: 4, format });
      expect(rows).toHaveLength(4);
      expect(rows[0]).toContain('1.0');
      expect(rows[3]).toContain('0.0');
      expect(rows[3]).toMatch(/[┼┤]─*\s*$/);
    }
  });
});
