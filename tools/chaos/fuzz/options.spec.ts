import { listOperations } from './openapi';
import { FIXTURE } from './fixture.spec-helper';
import { changesRouting, fuzzOptions, operationSeed } from './options';

describe('fuzzOptions', () => {
  it('runs many more requests per operation in the long form', () => {
    expect(fuzzOptions('long', {}).runsPerOperation).toBeGreaterThanOrEqual(5 * fuzzOptions('short', {}).runsPerOperation);
  });

  it('takes the seed and the rest from the environment, argv winning', () => {
    const env = { FUZZ_SEED: '42', FUZZ_RUNS: '7', FUZZ_OP: 'POST /api/v1/relay', FUZZ_ROUND: '1', FUZZ_PATH: '3:0:1' };
    expect(fuzzOptions('short', env)).toMatchObject({ seed: 42, runsPerOperation: 7, only: 'POST /api/v1/relay', replay: { round: 1, path: '3:0:1' } });
    expect(fuzzOptions('short', { FUZZ_PATH: '5' }).replay).toEqual({ round: 0, path: '5' });
    expect(fuzzOptions('short', {}).replay).toBeUndefined();
    expect(fuzzOptions('short', env, ['--seed', '-5', '--runs', '9'])).toMatchObject({ seed: -5, runsPerOperation: 9 });
  });

  it('picks a fresh seed when none is given, and refuses one that is not an integer', () => {
    expect(Number.isInteger(fuzzOptions('short', {}).seed)).toBe(true);
    expect(() => fuzzOptions('short', { FUZZ_SEED: 'abc' })).toThrow(/seed must be an integer/);
  });
});

describe('operationSeed', () => {
  it('is the same for the same run and operation, different across operations', () => {
    expect(operationSeed(42, 'GET /a')).toBe(operationSeed(42, 'GET /a'));
    expect(operationSeed(42, 'GET /a')).not.toBe(operationSeed(42, 'GET /b'));
    expect(operationSeed(42, 'GET /a')).not.toBe(operationSeed(43, 'GET /a'));
    expect(Number.isInteger(operationSeed(2 ** 31 - 1, 'POST /x'))).toBe(true);
  });
});

describe('changesRouting', () => {
  it('holds back writes to instances and the routing policy, nothing else', () => {
    const operations = [...listOperations(FIXTURE), ...listOperations({ openapi: '3.0.0', paths: { '/api/v1/instances/{id}': { patch: {}, get: {} }, '/api/v1/routing': { put: {}, get: {} }, '/api/v1/instances/scaling': { put: {} } } })];
    expect(operations.filter(changesRouting).map((o) => o.key).sort()).toEqual(['PATCH /api/v1/instances/{id}', 'PUT /api/v1/instances/scaling', 'PUT /api/v1/routing']);
  });
});
