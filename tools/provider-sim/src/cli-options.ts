import { ProviderSimOptions, SIM_PROTOCOLS, SimProtocol } from './types';

export const DEFAULT_CLI_PORT = 9100;

export const USAGE = `usage: node dist/tools/provider-sim/src/main.js [options]
  --port <n>                   default 9100 (env PROVIDER_SIM_PORT; 0 = random)
  --host <addr>                default 127.0.0.1 (env PROVIDER_SIM_HOST)
  --name <name>                default provider-sim (env PROVIDER_SIM_NAME)
  --models <a,b,...>           default gpt-4o,gpt-4o-mini,sim-small (env PROVIDER_SIM_MODELS)
  --latency-ms <n>             delay before each answer (env PROVIDER_SIM_LATENCY_MS)
  --stream-chunk-delay-ms <n>  delay between streamed chunks (env PROVIDER_SIM_STREAM_CHUNK_DELAY_MS)
  --api-key <key>              require Authorization: Bearer <key> (env PROVIDER_SIM_API_KEY)
  --protocol <name>            openai (default), gemini or anthropic (env PROVIDER_SIM_PROTOCOL)
  --help`;

type Key = 'port' | 'host' | 'name' | 'models' | 'latency-ms' | 'stream-chunk-delay-ms' | 'api-key' | 'protocol';

const ENV_NAMES: Record<Key, string> = {
  port: 'PROVIDER_SIM_PORT',
  host: 'PROVIDER_SIM_HOST',
  name: 'PROVIDER_SIM_NAME',
  models: 'PROVIDER_SIM_MODELS',
  'latency-ms': 'PROVIDER_SIM_LATENCY_MS',
  'stream-chunk-delay-ms': 'PROVIDER_SIM_STREAM_CHUNK_DELAY_MS',
  'api-key': 'PROVIDER_SIM_API_KEY',
  protocol: 'PROVIDER_SIM_PROTOCOL',
};

function isKey(value: string): value is Key {
  return Object.prototype.hasOwnProperty.call(ENV_NAMES, value);
}

function toNumber(key: Key, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 0) throw new Error(`--${key} must be a whole number >= 0, got "${value}"`);
  return n;
}

function toProtocol(value: string): SimProtocol {
  if (!(SIM_PROTOCOLS as readonly string[]).includes(value)) throw new Error(`--protocol must be one of ${SIM_PROTOCOLS.join(', ')}, got "${value}"`);
  return value as SimProtocol;
}

export type CliParseResult = { help: true } | { help: false; options: ProviderSimOptions & { port: number } };

/** Flags win over environment variables; both accept `--flag value` and `--flag=value`. */
export function parseCliOptions(argv: readonly string[], env: NodeJS.ProcessEnv): CliParseResult {
  const values = new Map<Key, string>();
  for (const key of Object.keys(ENV_NAMES) as Key[]) {
    const fromEnv = env[ENV_NAMES[key]];
    if (fromEnv !== undefined && fromEnv !== '') values.set(key, fromEnv);
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return { help: true };
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (!match || !isKey(match[1])) throw new Error(`unknown argument "${arg}"`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]} needs a value`);
    values.set(match[1], value);
  }

  const models = values.get('models')?.split(',').map((m) => m.trim()).filter((m) => m !== '');
  const latency = values.get('latency-ms');
  const chunkDelay = values.get('stream-chunk-delay-ms');
  const port = values.get('port');
  return {
    help: false,
    options: {
      port: port === undefined ? DEFAULT_CLI_PORT : toNumber('port', port),
      host: values.get('host'),
      name: values.get('name'),
      models: models && models.length > 0 ? models : undefined,
      latencyMs: latency === undefined ? undefined : toNumber('latency-ms', latency),
      streamChunkDelayMs: chunkDelay === undefined ? undefined : toNumber('stream-chunk-delay-ms', chunkDelay),
      apiKey: values.get('api-key'),
      ...(values.has('protocol') ? { protocol: toProtocol(values.get('protocol') as string) } : {}),
    },
  };
}
