import type { Repository } from 'typeorm';
import type { AdbExecutionEntity } from '@ish/database';
import { ExecutionAudit } from './execution-audit';

const row = (id: string, createdAt: string): AdbExecutionEntity => ({
  id,
  userId: null,
  credentialId: 'k',
  serial: 's1',
  command: 'echo',
  args: ['a'],
  exitCode: 0,
  durationMs: 3,
  bytesOut: 2,
  outcome: 'completed',
  errorCode: null,
  mode: 'sync',
  jobId: null,
  createdAt: new Date(createdAt),
});

describe('ExecutionAudit', () => {
  it('inserts a record as given', async () => {
    const insert = jest.fn(async () => undefined);
    const audit = new ExecutionAudit({ insert } as unknown as Repository<AdbExecutionEntity>);
    const entry = { userId: null, credentialId: 'k', serial: 's1', command: 'echo', args: ['a'], exitCode: 0, durationMs: 3, bytesOut: 2, outcome: 'completed' as const, errorCode: null, mode: 'sync' as const, jobId: null };
    await audit.record(entry);
    expect(insert).toHaveBeenCalledWith(entry);
  });

  it('lists newest first with the filters and a default limit', async () => {
    const find = jest.fn(async () => [row('7', '2026-01-01T00:00:01Z')]);
    const audit = new ExecutionAudit({ find } as unknown as Repository<AdbExecutionEntity>);
    const entries = await audit.list({ serial: 's1' });
    expect(find).toHaveBeenCalledWith({ where: { serial: 's1' }, order: { createdAt: 'DESC', id: 'DESC' }, take: 100 });
    expect(entries).toEqual([expect.objectContaining({ id: '7', serial: 's1', outcome: 'completed', createdAt: '2026-01-01T00:00:01.000Z' })]);
    await audit.list({ userId: 'u', limit: 5 });
    expect(find).toHaveBeenLastCalledWith({ where: { userId: 'u' }, order: { createdAt: 'DESC', id: 'DESC' }, take: 5 });
  });
});
