import { parseCliOptions } from './cli-options';

describe('parseCliOptions', () => {
  it('defaults to port 9100 and library defaults', () => {
    expect(parseCliOptions([], {})).toEqual({
      help: false,
      options: { port: 9100, host: undefined, name: undefined, models: undefined, latencyMs: undefined, streamChunkDelayMs: undefined, apiKey: undefined },
    });
  });

  it('reads flags in both forms, flags winning over the environment', () => {
    const env = { PROVIDER_SIM_PORT: '9200', PROVIDER_SIM_LATENCY_MS: '50', PROVIDER_SIM_NAME: 'from-env', PROVIDER_SIM_API_KEY: 'k' };
    const result = parseCliOptions(['--port', '9300', '--name=sim-1', '--models', 'a, b,', '--stream-chunk-delay-ms', '5'], env);
    expect(result).toEqual({
      help: false,
      options: { port: 9300, host: undefined, name: 'sim-1', models: ['a', 'b'], latencyMs: 50, streamChunkDelayMs: 5, apiKey: 'k' },
    });
  });

  it('rejects unknown flags, missing values and bad numbers', () => {
    expect(() => parseCliOptions(['--verbose'], {})).toThrow('unknown argument');
    expect(() => parseCliOptions(['--port'], {})).toThrow('needs a value');
    expect(() => parseCliOptions(['--latency-ms', 'soon'], {})).toThrow('--latency-ms');
    expect(() => parseCliOptions([], { PROVIDER_SIM_PORT: '-1' })).toThrow('--port');
  });

  it('reads --protocol (or PROVIDER_SIM_PROTOCOL) and refuses a protocol it does not speak', () => {
    expect(parseCliOptions(['--protocol', 'anthropic'], {})).toMatchObject({ options: { protocol: 'anthropic' } });
    expect(parseCliOptions([], { PROVIDER_SIM_PROTOCOL: 'openai' })).toMatchObject({ options: { protocol: 'openai' } });
    expect(() => parseCliOptions(['--protocol=grpc'], {})).toThrow(/--protocol must be one of openai, .*anthropic/);
  });

  it('recognises --help', () => {
    expect(parseCliOptions(['--port', '1', '--help'], {})).toEqual({ help: true });
  });
});

describe('parseCliOptions --protocol', () => {
  it('takes openai or gemini from the flag or PROVIDER_SIM_PROTOCOL, and refuses anything else', () => {
    expect(parseCliOptions(['--protocol', 'gemini'], {})).toMatchObject({ options: { protocol: 'gemini' } });
    expect(parseCliOptions([], { PROVIDER_SIM_PROTOCOL: 'openai' })).toMatchObject({ options: { protocol: 'openai' } });
    expect(() => parseCliOptions(['--protocol=grpc'], {})).toThrow('--protocol must be one of openai, gemini');
  });
});
