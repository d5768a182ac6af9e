import type { ApiKeyView } from '../api/types';
import { keyChanges, keyForm } from './key-form';

const key: ApiKeyView = {
  id: 'k-1',
  name: 'ci',
  prefix: 'ish_abc',
  scopes: ['chat'],
  rateLimitPerMinute: 120,
  allowedModels: ['gpt-4o'],
  tokensPerMinute: 20000,
  budget: { limitUsd: 5, period: 'week' },
  createdAt: '2026-12-01T00:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
};

describe('the key edit form', () => {
  it('starts from the key as stored', () => {
    expect(keyForm(key)).toEqual({ name: 'ci', models: 'gpt-4o', budgetLimit: '5', period: 'week', requests: '120', tokens: '20000' });
    expect(keyForm({ ...key, allowedModels: null, budget: null, tokensPerMinute: null })).toMatchObject({ models: '', budgetLimit: '', period: 'month', tokens: '' });
  });

  it('sends nothing when nothing changed', () => {
    expect(keyChanges(key, keyForm(key))).toEqual({});
    expect(keyChanges(key, { ...keyForm(key), models: ' gpt-4o ,', name: ' ci ' })).toEqual({});
  });

  it('sends only the changed fields', () => {
    expect(keyChanges(key, { ...keyForm(key), tokens: '500' })).toEqual({ tokensPerMinute: 500 });
    expect(keyChanges(key, { ...keyForm(key), requests: '60', period: 'day' })).toEqual({ rateLimitPerMinute: 60, budget: { limitUsd: 5, period: 'day' } });
    expect(keyChanges(key, { ...keyForm(key), models: 'gpt-4o, anthropic/*', name: 'deploy' })).toEqual({ name: 'deploy', allowedModels: ['gpt-4o', 'anthropic/*'] });
  });

  it('clears models, budget and the token limit with null, and leaves an emptied request limit alone', () => {
    expect(keyChanges(key, { ...keyForm(key), models: '', budgetLimit: '', tokens: '', requests: '' })).toEqual({ allowedModels: null, budget: null, tokensPerMinute: null });
  });

  it('sends a bad number as typed, for the API to name the field', () => {
    expect(keyChanges(key, { ...keyForm(key), budgetLimit: '0', tokens: '-3' })).toEqual({ budget: { limitUsd: 0, period: 'week' }, tokensPerMinute: -3 });
  });
});
