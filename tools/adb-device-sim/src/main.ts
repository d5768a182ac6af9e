// CLI: starts one or more simulated devices and prints their serials (one per line on stdout).
//
//   node dist/tools/adb-device-sim/src/main.js --port 5555 --mode device --model "ISH Sim Pixel"
//   node dist/tools/adb-device-sim/src/main.js --count 3 --port 6101 --command-delay-ms 50
//
// Then: adb connect 127.0.0.1:5555 && adb -s 127.0.0.1:5555 shell getprop ro.product.model
import { AdbDeviceMode, AdbDeviceSim, AdbDeviceSimOptions, startAdbDeviceSim } from './adb-device-sim';

const USAGE = `usage: adb-device-sim [options]
  --port N              first TCP port (default 0: random free ports)
  --host ADDR           listen address (default 127.0.0.1)
  --count N             start N devices on consecutive ports (default 1)
  --mode MODE           device | unauthorized | auth (default device)
  --model NAME          ro.product.model (default "ISH Sim Pixel")
  --product NAME        ro.product.name (default ish_sim)
  --device NAME         ro.product.device (default ishsim)
  --manufacturer NAME   ro.product.manufacturer (default ISH)
  --sdk N               ro.build.version.sdk (default 34)
  --release V           ro.build.version.release (default 14)
  --battery N           battery level (default 87)
  --serialno S          ro.serialno (default ISHSIM<port>; with --count, -<index> is appended)
  --command-delay-ms N  each simulated command takes at least N ms (default 0)
  --control-port N      HTTP control server (GET /stats, POST /reset); 0 picks one; with --count, consecutive
  --json                print one JSON object per device instead of bare serials
Ports 5555-5585 are probed by every adb server on this machine (emulator discovery): prefer others.`;

interface CliOptions {
  sim: AdbDeviceSimOptions;
  count: number;
  json: boolean;
}

/** The device options that take a plain value: flag → the option it sets. */
const TEXT_FLAGS: Readonly<Record<string, 'host' | 'model' | 'product' | 'device' | 'manufacturer' | 'release' | 'serialno'>> = {
  '--host': 'host',
  '--model': 'model',
  '--product': 'product',
  '--device': 'device',
  '--manufacturer': 'manufacturer',
  '--release': 'release',
  '--serialno': 'serialno',
};

/** The device options that take an integer: flag → the option it sets and its bounds. */
const INTEGER_FLAGS: Readonly<Record<string, ['port' | 'sdk' | 'batteryLevel' | 'commandDelayMs' | 'controlPort', number, number]>> = {
  '--port': ['port', 0, 65535],
  '--sdk': ['sdk', 1, 1000],
  '--battery': ['batteryLevel', 0, 100],
  '--command-delay-ms': ['commandDelayMs', 0, 3_600_000],
  '--control-port': ['controlPort', 0, 65535],
};

export function parseCliArgs(args: string[]): CliOptions {
  const sim: AdbDeviceSimOptions = {};
  let count = 1;
  let json = false;
  const integer = (flag: string, value: string | undefined, min: number, max: number): number => {
    const n = Number(value);
    if (value === undefined || !Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} needs an integer between ${min} and ${max}`);
    return n;
  };
  const text = (flag: string, value: string | undefined): string => {
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    return value;
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    if (Object.hasOwn(TEXT_FLAGS, name)) {
      sim[TEXT_FLAGS[name]] = text(name, value());
      continue;
    }
    if (Object.hasOwn(INTEGER_FLAGS, name)) {
      const [option, min, max] = INTEGER_FLAGS[name];
      sim[option] = integer(name, value(), min, max);
      continue;
    }
    switch (name) {
      case '--count':
        count = integer(name, value(), 1, 256);
        break;
      case '--mode': {
        const mode = value();
        if (mode !== 'device' && mode !== 'unauthorized' && mode !== 'auth') throw new Error('--mode must be device, unauthorized or auth');
        sim.mode = mode as AdbDeviceMode;
        break;
      }
      case '--json':
        json = true;
        break;
      case '--help':
      case '-h':
        throw new Error('help');
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return { sim, count, json };
}

export async function startFromCli(options: CliOptions): Promise<AdbDeviceSim[]> {
  const sims: AdbDeviceSim[] = [];
  try {
    for (let i = 0; i < options.count; i++) {
      const offset = (base: number | undefined): number | undefined => (base === undefined || base === 0 ? base : base + i);
      sims.push(
        await startAdbDeviceSim({
          ...options.sim,
          port: offset(options.sim.port),
          controlPort: offset(options.sim.controlPort),
          serialno: options.sim.serialno !== undefined && options.count > 1 ? `${options.sim.serialno}-${i + 1}` : options.sim.serialno,
        }),
      );
    }
  } catch (error) {
    await Promise.all(sims.map((sim) => sim.close()));
    throw error;
  }
  return sims;
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message === 'help') {
      console.log(USAGE);
      return;
    }
    console.error(`adb-device-sim: ${message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const sims = await startFromCli(options);
  for (const sim of sims) {
    if (options.json) {
      console.log(JSON.stringify({ serial: sim.serial, host: sim.host, port: sim.port, mode: sim.mode, model: sim.state.profile.model, controlPort: sim.controlPort ?? null }));
    } else {
      console.log(sim.serial);
    }
  }
  const controls = sims.filter((sim) => sim.controlPort !== undefined).map((sim) => `http://${sim.host}:${sim.controlPort}`);
  console.error(`adb-device-sim: ${sims.length} ${options.sim.mode ?? 'device'} device(s) listening${controls.length ? `; control: ${controls.join(' ')}` : ''}; Ctrl-C stops`);
  const stop = (): void => {
    void Promise.all(sims.map((sim) => sim.close())).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`adb-device-sim: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
