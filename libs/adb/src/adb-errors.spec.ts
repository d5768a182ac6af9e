import { ApiError } from '@ish/platform';
import { fromAdbFailure } from './adb-errors';

const described = (error: unknown) => {
  const mapped = fromAdbFailure(error, '127.0.0.1:6101');
  return { status: mapped.getStatus(), code: mapped.code, details: mapped.details };
};

describe('fromAdbFailure', () => {
  it('reads adb FAIL replies', () => {
    expect(described(new Error("Failure: 'device '127.0.0.1:6101' not found'"))).toMatchObject({ status: 404, code: 'device_not_found' });
    expect(described(new Error('Failure: device unauthorized.'))).toEqual({ status: 409, code: 'device_not_ready', details: [{ field: 'state', message: 'unauthorized' }] });
    expect(described(new Error('Failure: device offline'))).toEqual({ status: 409, code: 'device_not_ready', details: [{ field: 'state', message: 'offline' }] });
    expect(described(new Error('closed'))).toMatchObject({ status: 502, code: 'adb_failed' });
  });

  it('tells an unreachable adb server apart', () => {
    expect(described(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5037'), { code: 'ECONNREFUSED' }))).toMatchObject({ status: 503, code: 'adb_unavailable' });
  });

  it('keeps an ApiError as it is', () => {
    const error = ApiError.badRequest('x', 'y');
    expect(fromAdbFailure(error, 's')).toBe(error);
  });
});
