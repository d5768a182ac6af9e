import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { withSystem } from '@ish/bench';
import { runScenario } from './run';
import { ChaosForm, Scenario } from './scenario';
import { SCENARIOS } from './scenarios';

/**
 * `node dist/tools/chaos/main.js [--long] [--only 1,3]`: brings up the test system (as the
 * benchmarks do), runs the chosen scenarios in order, prints one PASS/FAIL line with figures per
 * scenario and a summary, and exits 1 when any failed. See tools/chaos/README.md.
 */
async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const form: ChaosForm = args.includes('--long') ? 'long' : 'short';
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',').map(Number)) : undefined;
  const unknown = args.filter((a, i) => a !== '--long' && a !== '--only' && i !== onlyAt + 1);
  if (unknown.length > 0 || (only && [...only].some((n) => !Number.isInteger(n)))) {
    console.error('usage: node dist/tools/chaos/main.js [--long] [--only 1,3]');
    return 2;
  }
  const scenarios = [...SCENARIOS, ...(await fuzz())].filter((s) => !only || only.has(s.id));
  if (scenarios.length === 0) {
    console.error(`no scenario matches --only ${args[onlyAt + 1]}`);
    return 2;
  }

  return withSystem(async () => {
    const lines: string[] = [];
    const started = Date.now();
    for (const scenario of scenarios) {
      console.log(`\n=== ${scenario.id}. ${scenario.name} (${form} form)`);
      const { result, line, seconds } = await runScenario(scenario, form, (text) => console.log(`  [${scenario.id}] ${text}`));
      console.log(`${line}  (${seconds} s)`);
      lines.push(line);
      if (!result.pass) process.exitCode = 1;
    }
    const failed = lines.filter((l) => l.startsWith('FAIL')).length;
    console.log(`\n=== summary (${form} form, ${Math.round((Date.now() - started) / 1000)} s)\n${lines.join('\n')}\n${lines.length - failed} passed, ${failed} failed`);
    return failed > 0 ? 1 : 0;
  });
}

/** Scenario 7 (the fuzz pass) lives in its own file, written separately; it runs when it is there. */
async function fuzz(): Promise<Scenario[]> {
  const file = resolve(__dirname, 'scenarios/7-fuzz');
  if (!existsSync(`${file}.js`) && !existsSync(`${file}.ts`)) return [];
  const module = (await import(file)) as { fuzzScenario?: Scenario };
  if (!module.fuzzScenario) throw new Error(`${file} does not export fuzzScenario`);
  return [module.fuzzScenario];
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
