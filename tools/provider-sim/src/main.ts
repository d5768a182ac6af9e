import { parseCliOptions, USAGE } from './cli-options';
import { startProviderSim } from './provider-sim';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCliOptions(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`provider-sim: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(USAGE);
    return;
  }

  const sim = await startProviderSim(parsed.options);
  console.log(`provider-sim ${sim.name} listening on ${sim.url}/v1 (simulator: replies are generated, not from an AI)`);

  const shutdown = (signal: NodeJS.Signals) => {
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`provider-sim: close on ${signal} failed`, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
  console.error('provider-sim: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
