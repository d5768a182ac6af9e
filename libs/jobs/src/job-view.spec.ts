import type { Job } from 'bullmq';
import { toJobStatus, toJobView } from './job-view';

describe('job views', () => {
  it('maps BullMQ states', () => {
    expect(['waiting', 'delayed', 'prioritized', 'waiting-children', 'unknown'].map(toJobStatus)).toEqual(['queued', 'queued', 'queued', 'queued', 'queued']);
    expect(toJobStatus('active')).toBe('active');
    expect(toJobStatus('completed')).toBe('completed');
    expect(toJobStatus('failed')).toBe('failed');
  });

  it('shows the result of a completed job and the error of a failed one', () => {
    const job = { id: 'j1', data: { type: 'ai' }, returnvalue: { reply: 'hi' }, attemptsMade: 1, timestamp: 0, finishedOn: 1000 } as unknown as Job;
    expect(toJobView(job, 'completed')).toEqual({ id: 'j1', type: 'ai', status: 'completed', result: { reply: 'hi' }, attempts: 1, createdAt: '1970-01-01T00:00:00.000Z', finishedAt: '1970-01-01T00:00:01.000Z' });
    const failed = { ...job, failedReason: JSON.stringify({ type: 'upstream_error', code: 'upstream_failed', message: 'x' }) } as unknown as Job;
    expect(toJobView(failed, 'failed').error).toEqual({ type: 'upstream_error', code: 'upstream_failed', message: 'x' });
  });
});
