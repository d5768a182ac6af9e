import { ChaosForm, formatResult, Scenario, ScenarioResult } from './scenario';
import { restoreSystem } from './support/system';

/**
 * Runs one scenario in a form: an exception is a FAIL with its message, and whatever happened, the
 * system is restored afterwards (servers up, a worker on the default port, every app ready) so the
 * next scenario or test file finds it healthy. A system that cannot be restored fails the scenario.
 */
export async function runScenario(scenario: Scenario, form: ChaosForm, log: (line: string) => void): Promise<{ result: ScenarioResult; line: string; seconds: number }> {
  const started = Date.now();
  let result: ScenarioResult;
  try {
    result = await scenario.run(form, log);
  } catch (error) {
    result = { pass: false, figures: {}, notes: [`the scenario stopped: ${(error as Error).message}`] };
  }
  try {
    await restoreSystem(log);
  } catch (error) {
    result = { ...result, pass: false, notes: [...result.notes, `the system did not recover afterwards: ${(error as Error).message}`] };
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  return { result, line: formatResult(scenario, result), seconds };
}
