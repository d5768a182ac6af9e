import { RemoteError } from '../rabbitmq/amqp-message';
import { isDependencyUnavailable } from './unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDependencyUnavailable', () => {
  it('recognises a PostgreSQL that is away: refused, cut off, shutting down, starting up', () => {
    expect(isDependencyUnavailable(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection terminated due to connection timeout'))).toBe(true);
    expect(isDependencyUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDependencyUnavailable(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isDependencyUnavailable(withCode('terminating connection due to administrator command', '57P01'))).toBe(true);
    expect(isDependencyUnavailable(withCode('the database system is starting up', '57P03'))).toBe(true);
    expect(isDependencyUnavailable(withCode('connection failure', '08006'))).toBe(true);
  });

  it('looks inside TypeORM’s QueryFailedError, `cause` and AggregateError', () => {
    const queryFailed = Object.assign(new Error('terminating connection due to administrator command'), { name: 'QueryFailedError', driverError: withCode('x', '57P01') });
    expect(isDependencyUnavailable(queryFailed)).toBe(true);
    expect(isDependencyUnavailable(new Error('outer', { cause: withCode('reset', 'ECONNRESET') }))).toBe(true);
    expect(isDependencyUnavailable(new AggregateError([withCode('a', 'ECONNREFUSED')], 'all failed'))).toBe(true);
  });

  it('recognises Redis away (ioredis without an offline queue)', () => {
    expect(isDependencyUnavailable(new Error("Stream isn't writeable and enableOfflineQueue options is false"))).toBe(true);
    expect(isDependencyUnavailable(new Error('Connection is closed.'))).toBe(true);
    const maxRetries = Object.assign(new Error('Reached the max retries per request limit (which is 1).'), { name: 'MaxRetriesPerRequestError' });
    expect(isDependencyUnavailable(maxRetries)).toBe(true);
  });

  it('recognises a request/reply call that got no answer, or whose remote side lost its dependency', () => {
    for (const code of ['rpc_unavailable', 'rpc_timeout', 'rpc_no_route', 'service_unavailable']) {
      expect(isDependencyUnavailable(new RemoteError({ type: 'api_error', code, message: 'x' }, 'auth.verify'))).toBe(true);
    }
    expect(isDependencyUnavailable(new RemoteError({ type: 'api_error', code: 'internal_error', message: 'x' }, 'auth.verify'))).toBe(false);
  });

  it('leaves bugs and client errors alone', () => {
    expect(isDependencyUnavailable(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isDependencyUnavailable(withCode('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isDependencyUnavailable(withCode('syntax error', '42601'))).toBe(false);
    expect(isDependencyUnavailable(undefined)).toBe(false);
    expect(isDependencyUnavailable('ECONNREFUSED')).toBe(false);
  });
});
