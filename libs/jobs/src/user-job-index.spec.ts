import { decodeRef, encodeRef, userJobsKey, USER_JOBS_KEPT, UserJobIndex } from './user-job-index';

describe('user job index', () => {
  it('stores a job as queue:id and reads it back', () => {
    expect(encodeRef({ queue: 'ai', jobId: 'ai_1f0c' })).toBe('ai:ai_1f0c');
    expect(decodeRef('adb:7d3e-11')).toEqual({ queue: 'adb', jobId: '7d3e-11' });
    expect(decodeRef('adb:a:b')).toEqual({ queue: 'adb', jobId: 'a:b' });
  });

  it('ignores members that are not queue:id', () => {
    expect(['', 'noqueue', ':x', 'ai:'].map(decodeRef)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('keys the set by user', () => {
    expect(userJobsKey('u-1')).toBe('ish:jobs:user:u-1');
  });

  it('records with NX, trims to the newest entries and sets an expiry, in one transaction', async () => {
    const calls: unknown[][] = [];
    const chain = {
      zadd: (...args: unknown[]) => (calls.push(['zadd', ...args]), chain),
      zremrangebyrank: (...args: unknown[]) => (calls.push(['zremrangebyrank', ...args]), chain),
      expire: (...args: unknown[]) => (calls.push(['expire', ...args]), chain),
      exec: async () => (calls.push(['exec']), []),
    };
    const index = new UserJobIndex({ multi: () => chain } as never);
    await index.record('u1', { queue: 'ai', jobId: 'j1' }, 1234);
    expect(calls).toEqual([
      ['zadd', 'ish:jobs:user:u1', 'NX', 1234, 'ai:j1'],
      ['zremrangebyrank', 'ish:jobs:user:u1', 0, -(USER_JOBS_KEPT + 1)],
      ['expire', 'ish:jobs:user:u1', 8 * 86_400],
      ['exec'],
    ]);
  });
});
