/**
 * One fault-injection scenario (issue 11). A scenario runs against the local system that the test
 * harness brings up (test stack, apps from dist/: tests/support/global-setup), injects its fault,
 * and reports PASS/FAIL with the figures it measured. The same function runs in two forms:
 * `short` inside `npm test` (tests/chaos), `long` by hand (`node dist/tools/chaos/main.js --long`).
 */
export type ChaosForm = 'short' | 'long';

export interface ScenarioResult {
  pass: boolean;
  /** what was measured, printed as `name=value` (counts, seconds, rates) */
  figures: Record<string, string | number>;
  /** why it failed, or anything a reader of the figures should know */
  notes: string[];
}

export interface Scenario {
  /** the number of the scenario in issue 11 (1–7) */
  id: number;
  name: string;
  run(form: ChaosForm, log: (line: string) => void): Promise<ScenarioResult>;
}

export function formatResult(scenario: Scenario, result: ScenarioResult): string {
  const figures = Object.entries(result.figures)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const notes = result.notes.map((n) => `\n    ${n}`).join('');
  return `${result.pass ? 'PASS' : 'FAIL'} ${scenario.id}. ${scenario.name}  ${figures}${notes}`;
}
