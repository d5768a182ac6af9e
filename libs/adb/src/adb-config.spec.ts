import { ConfigError, loadConfig } from '@ish/platform';
import { AdbConfig, DEFAULT_ALLOWED_COMMANDS, PROGRAM_RUNNERS, programRunnersIn } from './adb-config';

// the part stands alone: none of the platform's variables is needed to read it
const required = {};

function configErrorOf(env: Record<string, string>): string {
  try {
    loadConfig(AdbConfig, { ...required, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('AdbConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig(AdbConfig, required);
    expect(config).toMatchObject({ ADB_HOST: '127.0.0.1', ADB_PORT: 5037, ANDROID_ALLOWED_COMMANDS: DEFAULT_ALLOWED_COMMANDS, ANDROID_MAX_ARGS: 64, ANDROID_DEFAULT_TIMEOUT_MS: 30_000 });
  });

  it('ships an allow-list of programs that only read the device', () => {
    expect(DEFAULT_ALLOWED_COMMANDS.split(',')).toEqual(['getprop', 'dumpsys', 'wm', 'echo', 'ls']);
    for (const changesTheDevice of ['am', 'pm', 'settings', 'input', 'cat', 'screencap']) expect(DEFAULT_ALLOWED_COMMANDS.split(',')).not.toContain(changesTheDevice);
  });

  it('reads numbers and the allow-list from the environment', () => {
    const config = loadConfig(AdbConfig, { ...required, ADB_PORT: '15037', ANDROID_ALLOWED_COMMANDS: 'echo, getprop', ANDROID_MAX_OUTPUT_BYTES: '4096' });
    expect(config).toMatchObject({ ADB_PORT: 15037, ANDROID_ALLOWED_COMMANDS: 'echo, getprop', ANDROID_MAX_OUTPUT_BYTES: 4096 });
  });

  it('accepts the opt-in programs that change the device', () => {
    const list = 'getprop,dumpsys,wm,echo,ls,am,pm,settings,input,screencap,cat';
    expect(loadConfig(AdbConfig, { ...required, ANDROID_ALLOWED_COMMANDS: list }).ANDROID_ALLOWED_COMMANDS).toBe(list);
  });

  it('names each bad variable', () => {
    const message = configErrorOf({ ADB_PORT: '70000', ANDROID_ALLOWED_COMMANDS: 'echo;reboot', ANDROID_MAX_ARGS: '-1' });
    for (const name of ['ADB_PORT', 'ANDROID_ALLOWED_COMMANDS', 'ANDROID_MAX_ARGS']) expect(message).toContain(name);
  });

  it.each(['sh', 'toybox', 'xargs', 'find', 'busybox', 'run-as', 'su', 'env', 'nice', 'timeout', 'nohup', 'toolbox', 'exec', 'awk', 'app_process', 'linker64'])(
    'refuses %s, which runs other programs, naming the variable and the program',
    (runner) => {
      const message = configErrorOf({ ANDROID_ALLOWED_COMMANDS: `getprop, ${runner} ,echo` });
      expect(message).toMatch(new RegExp(`ANDROID_ALLOWED_COMMANDS: .*must not name programs that run other programs \\(${runner}\\)`));
    },
  );

  it('refuses a runner whatever its case, and lists every one it finds', () => {
    expect(configErrorOf({ ANDROID_ALLOWED_COMMANDS: 'SH,echo,Xargs' })).toContain('(SH, Xargs)');
  });

  it('finds runners only as whole names', () => {
    expect(programRunnersIn('getprop, shell-info, sha1sum, envoy , findmnt')).toEqual([]);
    expect(programRunnersIn(PROGRAM_RUNNERS.join(','))).toEqual(PROGRAM_RUNNERS);
  });
});
