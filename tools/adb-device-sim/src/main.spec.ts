import { parseCliArgs, startFromCli } from './main';

describe('CLI', () => {
  it('parses options', () => {
    expect(parseCliArgs(['--port', '5555', '--mode', 'unauthorized', '--model', 'ISH Sim Pixel', '--count=3', '--command-delay-ms', '20'])).toEqual({
      sim: { port: 5555, mode: 'unauthorized', model: 'ISH Sim Pixel', commandDelayMs: 20 },
      count: 3,
      json: false,
    });
    expect(() => parseCliArgs(['--mode', 'bogus'])).toThrow(/--mode/);
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--nope'])).toThrow(/unknown option/);
  });

  it('starts N devices on consecutive ports', async () => {
    const first = await startFromCli({ sim: { port: 0 }, count: 1, json: false });
    const base = first[0].port;
    await first[0].close();
    const sims = await startFromCli({ sim: { port: base, serialno: 'SIM' }, count: 3, json: false });
    try {
      expect(sims.map((sim) => sim.serial)).toEqual([0, 1, 2].map((i) => `127.0.0.1:${base + i}`));
      expect(sims.map((sim) => sim.state.props['ro.serialno'])).toEqual(['SIM-1', 'SIM-2', 'SIM-3']);
    } finally {
      await Promise.all(sims.map((sim) => sim.close()));
    }
  });
});
