import { ConfigError, loadConfig } from '@ish/platform';
import { AdbConfig, DEFAULT_ALLOWED_COMMANDS } from './adb-config';

const required = {
  DATABASE_URL: 'postgres://u:p@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
  RABBITMQ_URL: 'amqp://u:p@localhost:5672',
  JWT_KEYS: `k1:${'s'.repeat(32)}`,
};

describe('AdbConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig(AdbConfig, required);
    expect(config).toMatchObject({ ADB_HOST: '127.0.0.1', ADB_PORT: 5037, ANDROID_ALLOWED_COMMANDS: DEFAULT_ALLOWED_COMMANDS, ANDROID_MAX_ARGS: 64, ANDROID_DEFAULT_TIMEOUT_MS: 30_000 });
    expect(DEFAULT_ALLOWED_COMMANDS.split(',')).toEqual(['getprop', 'dumpsys', 'pm', 'am', 'input', 'wm', 'settings', 'screencap', 'echo', 'ls', 'cat']);
  });

  it('reads numbers and the allow-list from the environment', () => {
    const config = loadConfig(AdbConfig, { ...required, ADB_PORT: '15037', ANDROID_ALLOWED_COMMANDS: 'echo, getprop', ANDROID_MAX_OUTPUT_BYTES: '4096' });
    expect(config).toMatchObject({ ADB_PORT: 15037, ANDROID_ALLOWED_COMMANDS: 'echo, getprop', ANDROID_MAX_OUTPUT_BYTES: 4096 });
  });

  it('names each bad variable', () => {
    expect(() => loadConfig(AdbConfig, { ...required, ADB_PORT: '70000', ANDROID_ALLOWED_COMMANDS: 'echo;reboot', ANDROID_MAX_ARGS: '-1' })).toThrow(ConfigError);
    try {
      loadConfig(AdbConfig, { ...required, ADB_PORT: '70000', ANDROID_ALLOWED_COMMANDS: 'echo;reboot', ANDROID_MAX_ARGS: '-1' });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['ADB_PORT', 'ANDROID_ALLOWED_COMMANDS', 'ANDROID_MAX_ARGS']) expect(message).toContain(name);
    }
  });
});
