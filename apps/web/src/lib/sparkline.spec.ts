import { pushSample, sparkline } from './sparkline';

describe('sparkline', () => {
  it('spreads the samples over the width and scales them into the height, higher values higher up', () => {
    const line = sparkline([10, 30, 20], 104, 24, 2);
    expect(line.path).toBe('M2 22 L52 2 L102 12');
    expect(line.last).toEqual({ x: 102, y: 12 });
    expect([line.min, line.max]).toEqual([10, 30]);
  });

  it('draws equal values on the middle line and a single value as a flat line', () => {
    expect(sparkline([5, 5, 5], 100, 20).path).toBe('M2 10 L50 10 L98 10');
    expect(sparkline([42], 100, 20).path).toBe('M2 10 L98 10');
  });

  it('draws nothing without samples and ignores values that are not numbers', () => {
    expect(sparkline([], 100, 20)).toEqual({ path: '', last: null, min: 0, max: 0 });
    expect(sparkline([NaN, 1, Infinity, 3], 100, 20, 0).path).toBe('M0 20 L100 0');
  });

  it('rounds coordinates to one decimal', () => {
    expect(sparkline([0, 1, 2], 10, 10, 0).path).toBe('M0 10 L5 5 L10 0');
    expect(sparkline([0, 1, 0, 1], 10, 3, 0).path).toBe('M0 3 L3.3 0 L6.7 3 L10 0');
  });
});

describe('pushSample', () => {
  it('keeps the newest samples only', () => {
    expect(pushSample([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
    expect(pushSample([], 7)).toEqual([7]);
  });
});
