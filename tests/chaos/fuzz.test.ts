import { formatResult, fuzzScenario } from '@ish/chaos';

/**
 * Issue 11, scenario 7 in its short form: every operation of the OpenAPI document, fuzzed through the
 * gateway (FUZZ_SEED=… reproduces a run). The long form runs by hand: tools/chaos/scenarios/7-fuzz.ts.
 */
describe('chaos 7: bad input', () => {
  it('answers every fuzzed request in time, never with a 5xx, errors in the API.md shape, and every app stays up', async () => {
    const result = await fuzzScenario.run('short', (line) => process.stdout.write(`  [chaos 7] ${line}\n`));
    const report = formatResult(fuzzScenario, result);
    process.stdout.write(`${report}\n`);
    // on a failure the report (figures, each failing request shrunk, how to replay it) is the message
    expect(result.pass ? 'PASS' : report).toBe('PASS');
    expect(result.figures.failures).toBe(0);
  }, 300_000);
});
