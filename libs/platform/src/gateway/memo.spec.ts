import { Memo } from './memo';

describe('Memo', () => {
  it('shares one computation among concurrent callers and keeps the answer for its TTL', async () => {
    let now = 0;
    let calls = 0;
    const memo = new Memo<number>(() => now);
    const compute = async () => ++calls;
    const [a, b] = await Promise.all([memo.get(compute, () => 100), memo.get(compute, () => 100)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    now = 99;
    expect(await memo.get(compute, () => 100)).toBe(1);
    now = 100;
    expect(await memo.get(compute, () => 100)).toBe(2);
  });

  it('keeps an answer as long as the answer itself says, and never a failure', async () => {
    let now = 0;
    const memo = new Memo<string>(() => now);
    await expect(memo.get(() => Promise.reject(new Error('down')), () => 1000)).rejects.toThrow('down');
    expect(await memo.get(async () => 'partial', (answer) => (answer === 'partial' ? 5 : 1000))).toBe('partial');
    now = 5;
    expect(await memo.get(async () => 'whole', (answer) => (answer === 'partial' ? 5 : 1000))).toBe('whole');
    now = 900;
    expect(await memo.get(async () => 'again', () => 1000)).toBe('whole');
  });
});
