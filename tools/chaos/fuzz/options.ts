import type { ChaosForm } from '../scenario';
import type { Operation } from './openapi';

export interface FuzzOptions {
  seed: number;
  runsPerOperation: number;
  timeoutMs: number;
  concurrency: number;
  /** per operation: no new runs after this long */
  timeLimitMs: number;
  shrinkBudgetMs: number;
  /** only operations whose `METHOD /path` key contains this */
  only?: string;
  /** a failure to replay (with `only` naming its operation): its round and fast-check path */
  replay?: { round: number; path: string };
}

const FORMS: Record<ChaosForm, Omit<FuzzOptions, 'seed'>> = {
  short: { runsPerOperation: 150, timeoutMs: 10_000, concurrency: 4, timeLimitMs: 15_000, shrinkBudgetMs: 15_000 },
  long: { runsPerOperation: 1500, timeoutMs: 10_000, concurrency: 4, timeLimitMs: 10 * 60_000, shrinkBudgetMs: 90_000 },
};

/** Options from the form, then the environment (FUZZ_SEED, FUZZ_RUNS, FUZZ_OP, FUZZ_ROUND, FUZZ_PATH), then argv. */
export function fuzzOptions(form: ChaosForm, env: NodeJS.ProcessEnv = process.env, argv: string[] = []): FuzzOptions {
  const flag = (name: string) => {
    const index = argv.indexOf(`--${name}`);
    return index >= 0 ? argv[index + 1] : undefined;
  };
  const number = (value: string | undefined, fallback: number, name: string) => {
    if (value === undefined || value === '') return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed)) throw new Error(`${name} must be an integer, not ${JSON.stringify(value)}`);
    return parsed;
  };
  const base = FORMS[form];
  return {
    ...base,
    seed: number(flag('seed') ?? env.FUZZ_SEED, (Date.now() ^ (Math.random() * 0x7fffffff)) | 0, 'seed'),
    runsPerOperation: number(flag('runs') ?? env.FUZZ_RUNS, base.runsPerOperation, 'runs'),
    concurrency: number(flag('concurrency') ?? env.FUZZ_CONCURRENCY, base.concurrency, 'concurrency'),
    only: flag('op') ?? env.FUZZ_OP ?? undefined,
    replay: replayOf(flag('path') ?? env.FUZZ_PATH, number(flag('round') ?? env.FUZZ_ROUND, 0, 'round')),
  };
}

function replayOf(path: string | undefined, round: number): FuzzOptions['replay'] {
  return path ? { round, path } : undefined;
}

/** one seed per operation, from the run's seed and the operation: a rerun of one operation gets the same requests */
export function operationSeed(seed: number, operation: string): number {
  let hash = 0x811c9dc5;
  for (const char of operation) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return (hash ^ seed) | 0;
}

/**
 * Operations that change what chat requests are routed to (instances, routing and scaling policy)
 * run after the others, so the chat operations always have the simulator to talk to.
 */
export function changesRouting(operation: Operation): boolean {
  return operation.method !== 'get' && (operation.path.startsWith('/api/v1/instances') || operation.path === '/api/v1/routing');
}
