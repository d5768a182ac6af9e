import type { AmqpClient, AmqpConnection, RedisClient } from '@ish/platform';
import type { AuthGuardConfig } from './auth-guard.config';
import { CredentialVerifier } from './credential-verifier';

function verifier(answers: (string[] | null)[]) {
  const request = jest.fn(async () => ({ allowedModels: answers.shift() ?? null, budget: { limitUsd: 5, period: 'day' } }));
  const config = { JWT_KEYS: `k1:${'a'.repeat(32)}`, JWT_ACCESS_TTL_SECONDS: 900 } as AuthGuardConfig;
  const instance = new CredentialVerifier(config, { request } as unknown as AmqpClient, {} as AmqpConnection, {} as RedisClient);
  return { instance, request };
}

describe('CredentialVerifier: a session\'s allowedModels and budget', () => {
  it('asks the auth service once per user, then answers from memory', async () => {
    const { instance, request } = verifier([['gpt-4o']]);
    expect(await instance.sessionGovernance('u1', 0)).toEqual({ allowedModels: ['gpt-4o'], budget: { limitUsd: 5, period: 'day' } });
    expect(await instance.sessionGovernance('u1', 1000)).toEqual({ allowedModels: ['gpt-4o'], budget: { limitUsd: 5, period: 'day' } });
    expect(request).toHaveBeenCalledTimes(1);
  });

  it('asks again after credential.changed or a revocation of that user, or once the entry is a minute old', async () => {
    const { instance, request } = verifier([['gpt-4o'], ['claude-sonnet-4'], null, ['x']]);
    await instance.sessionGovernance('u1', 0);
    instance.applyChange({ kind: 'user', id: 'u1' });
    expect((await instance.sessionGovernance('u1', 0)).allowedModels).toEqual(['claude-sonnet-4']);
    instance.applyChange({ kind: 'user', id: 'someone-else' });
    expect((await instance.sessionGovernance('u1', 0)).allowedModels).toEqual(['claude-sonnet-4']);
    instance.applyRevocation({ kind: 'user', id: 'u1', notBefore: 0 });
    expect((await instance.sessionGovernance('u1', 0)).allowedModels).toBeNull();
    expect((await instance.sessionGovernance('u1', 60_000)).allowedModels).toEqual(['x']);
    expect(request).toHaveBeenCalledTimes(4);
  });
});
