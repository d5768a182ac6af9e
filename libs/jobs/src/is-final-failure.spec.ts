import { UnrecoverableError } from 'bullmq';
import { isFinalFailure } from './is-final-failure';

describe('isFinalFailure', () => {
  it('is final once the attempts are used up, not before', () => {
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 3 } }, new Error('boom'))).toBe(false);
    expect(isFinalFailure({ attemptsMade: 3, opts: { attempts: 3 } }, new Error('boom'))).toBe(true);
  });

  it('is final after one attempt when the job allows one (the default)', () => {
    expect(isFinalFailure({ attemptsMade: 1, opts: {} }, new Error('boom'))).toBe(true);
  });

  it('is final at once when the error is not retryable', () => {
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 5 } }, new UnrecoverableError('4xx'))).toBe(true);
    const revived = Object.assign(new Error('from another realm'), { name: 'UnrecoverableError' });
    expect(isFinalFailure({ attemptsMade: 1, opts: { attempts: 5 } }, revived)).toBe(true);
  });
});
