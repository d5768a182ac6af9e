import { RemoteError } from './amqp-message';
import { remoteErrorBody } from './amqp-server';

describe('remoteErrorBody (what an RPC caller learns of a failed handler)', () => {
  it('keeps an error body the handler threw on purpose', () => {
    expect(remoteErrorBody({ type: 'not_found_error', code: 'user_not_found', message: 'No such user' })).toEqual({ type: 'not_found_error', code: 'user_not_found', message: 'No such user' });
  });

  it('says service_unavailable when the handler’s own dependency is away, so the caller answers 503', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(remoteErrorBody(refused)).toEqual({ type: 'api_error', code: 'service_unavailable', message: 'a dependency of the handler is unavailable' });
    expect(remoteErrorBody(new RemoteError({ type: 'api_error', code: 'rpc_timeout', message: 'no reply' }, 'x'))).toMatchObject({ code: 'service_unavailable' });
  });

  it('hides anything else behind internal_error', () => {
    expect(remoteErrorBody(new TypeError('secret detail'))).toEqual({ type: 'api_error', code: 'internal_error', message: 'handler failed' });
  });
});
