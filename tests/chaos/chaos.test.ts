import { runScenario, SCENARIOS } from '@ish/chaos';

/**
 * Issue 11: the fault-injection scenarios 1–6 in their short form, against the suite's system. Each
 * prints its PASS/FAIL line with figures into the test log, and leaves every server up and every app
 * ready for the test files after it (run.ts restores the system whatever happened).
 */
describe('fault injection (tools/chaos, short form)', () => {
  for (const scenario of SCENARIOS) {
    it(`${scenario.id}. ${scenario.name}`, async () => {
      const { result, line, seconds } = await runScenario(scenario, 'short', (text) => process.stdout.write(`  [chaos ${scenario.id}] ${text}\n`));
      process.stdout.write(`${line}  (${seconds} s)\n`);
      // on a failure the line (figures and notes) is the message
      expect(result.pass ? 'PASS' : line).toBe('PASS');
    }, 300_000);
  }
});
