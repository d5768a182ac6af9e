// What the simulated device "is": its properties, settings, packages and a tiny in-memory file
// system. Everything is deterministic for a given profile.
import { posix } from 'node:path';

export interface DeviceProfile {
  model: string;
  product: string;
  device: string;
  manufacturer: string;
  sdk: number;
  release: string;
  serialno: string;
  batteryLevel: number;
  /** What `wm size` reports. */
  screenWidth: number;
  screenHeight: number;
  /** The size of the PNG `screencap -p` returns (kept small on purpose). */
  screenshotWidth: number;
  screenshotHeight: number;
}

export const DEFAULT_PACKAGES = [
  'android',
  'com.android.chrome',
  'com.android.providers.settings',
  'com.android.settings',
  'com.android.shell',
  'com.android.systemui',
  'com.google.android.apps.messaging',
  'com.google.android.gms',
];

export const KERNEL_VERSION =
  'Linux version 5.15.137-android14-11-ish-sim (build@ish-sim) (Android (10087095, +pgo, +bolt, +lto, -mlgo, based on r487747c) clang version 17.0.2, LLD 17.0.2) #1 SMP PREEMPT Mon Jan 1 00:00:00 UTC 2024';

export function buildProps(profile: DeviceProfile): Record<string, string> {
  const fingerprint = `ish/${profile.product}/${profile.device}:${profile.release}/UQ1A.240205.004/11269751:user/release-keys`;
  return {
    'init.svc.adbd': 'running',
    'init.svc.bootanim': 'stopped',
    'persist.sys.locale': 'en-US',
    'persist.sys.timezone': 'Etc/UTC',
    'ro.adb.secure': '1',
    'ro.boot.serialno': profile.serialno,
    'ro.build.characteristics': 'default',
    'ro.build.fingerprint': fingerprint,
    'ro.build.id': 'UQ1A.240205.004',
    'ro.build.type': 'user',
    'ro.build.version.release': profile.release,
    'ro.build.version.sdk': String(profile.sdk),
    'ro.build.version.security_patch': '2024-02-05',
    'ro.debuggable': '0',
    'ro.hardware': profile.device,
    'ro.product.board': profile.device,
    'ro.product.brand': profile.manufacturer.toLowerCase(),
    'ro.product.cpu.abi': 'arm64-v8a',
    'ro.product.cpu.abilist': 'arm64-v8a,armeabi-v7a,armeabi',
    'ro.product.device': profile.device,
    'ro.product.locale': 'en-US',
    'ro.product.manufacturer': profile.manufacturer,
    'ro.product.model': profile.model,
    'ro.product.name': profile.product,
    'ro.serialno': profile.serialno,
    'ro.sf.lcd_density': '420',
    'service.adb.tcp.port': '5555',
    'sys.boot_completed': '1',
  };
}

export type SettingsNamespace = 'system' | 'secure' | 'global';

function defaultSettings(profile: DeviceProfile): Record<SettingsNamespace, Map<string, string>> {
  return {
    system: new Map([
      ['accelerometer_rotation', '1'],
      ['font_scale', '1.0'],
      ['screen_brightness', '128'],
      ['screen_brightness_mode', '1'],
      ['screen_off_timeout', '60000'],
    ]),
    secure: new Map([
      ['android_id', Buffer.from(profile.serialno).toString('hex').padEnd(16, '0').slice(0, 16)],
      ['default_input_method', 'com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME'],
      ['location_mode', '3'],
    ]),
    global: new Map([
      ['adb_enabled', '1'],
      ['airplane_mode_on', '0'],
      ['auto_time', '1'],
      ['development_settings_enabled', '1'],
      ['device_name', profile.model],
      ['stay_on_while_plugged_in', '0'],
      ['window_animation_scale', '1.0'],
    ]),
  };
}

const DIRECTORIES: Record<string, string[]> = {
  '/': ['acct', 'apex', 'bin', 'cache', 'config', 'd', 'data', 'dev', 'etc', 'mnt', 'odm', 'proc', 'product', 'sdcard', 'storage', 'sys', 'system', 'vendor'],
  '/data': ['local'],
  '/data/local': ['tmp'],
  '/data/local/tmp': [],
  '/dev': ['null'],
  '/proc': ['cpuinfo', 'meminfo', 'uptime', 'version'],
  '/sdcard': ['Alarms', 'DCIM', 'Documents', 'Download', 'Movies', 'Music', 'Notifications', 'Pictures', 'Podcasts', 'Ringtones'],
  '/sdcard/DCIM': [],
  '/sdcard/Download': [],
  '/sdcard/Pictures': [],
  '/storage': ['emulated', 'self'],
  '/storage/emulated': ['0'],
  '/system': ['app', 'bin', 'build.prop', 'etc', 'fonts', 'framework', 'lib', 'lib64', 'priv-app', 'usr', 'xbin'],
  '/system/bin': ['am', 'cat', 'cmd', 'dumpsys', 'echo', 'getprop', 'grep', 'head', 'id', 'input', 'ls', 'pm', 'reboot', 'screencap', 'settings', 'sh', 'sleep', 'tail', 'wc', 'wm'],
};

/** Mutable state of one simulated device, shared by all its shells. */
export class DeviceState {
  readonly props: Record<string, string>;
  readonly settings: Record<SettingsNamespace, Map<string, string>>;
  readonly packages: string[];
  /** Files written by the shell (redirections, `screencap <file>`), by absolute path. */
  readonly files = new Map<string, Buffer>();

  constructor(readonly profile: DeviceProfile) {
    this.props = buildProps(profile);
    this.settings = defaultSettings(profile);
    this.packages = [...DEFAULT_PACKAGES];
  }

  /** Built-in read-only files, generated from the profile. */
  private builtinFile(path: string): string | undefined {
    switch (path) {
      case '/proc/version':
        return `${KERNEL_VERSION}\n`;
      case '/proc/uptime':
        return `${(process.uptime() + 1000).toFixed(2)} ${(process.uptime() * 3).toFixed(2)}\n`;
      case '/proc/cpuinfo':
        return 'processor\t: 0\nBogoMIPS\t: 38.40\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\nCPU implementer\t: 0x41\nCPU architecture: 8\n';
      case '/proc/meminfo':
        return 'MemTotal:        7869244 kB\nMemFree:          912344 kB\nMemAvailable:    3941208 kB\n';
      case '/system/build.prop':
        return Object.entries(this.props)
          .filter(([key]) => key.startsWith('ro.'))
          .map(([key, value]) => `${key}=${value}\n`)
          .join('');
      case '/dev/null':
        return '';
      default:
        return undefined;
    }
  }

  readFile(path: string): Buffer | undefined {
    const written = this.files.get(path);
    if (written) return written;
    const builtin = this.builtinFile(path);
    return builtin === undefined ? undefined : Buffer.from(builtin);
  }

  isDirectory(path: string): boolean {
    return path in DIRECTORIES || [...this.files.keys()].some((file) => file.startsWith(path === '/' ? '/' : `${path}/`));
  }

  /** Directory entries, sorted, or undefined when there is no such directory. */
  listDirectory(path: string): string[] | undefined {
    const entries = new Set(DIRECTORIES[path] ?? []);
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const file of this.files.keys()) {
      if (file.startsWith(prefix)) entries.add(file.slice(prefix.length).split('/')[0]);
    }
    if (!(path in DIRECTORIES) && entries.size === 0) return undefined;
    return [...entries].sort();
  }

  writeFile(path: string, data: Buffer, append: boolean): void {
    if (path === '/dev/null') return;
    const previous = append ? (this.readFile(path) ?? Buffer.alloc(0)) : Buffer.alloc(0);
    this.files.set(path, Buffer.concat([previous, data]));
  }

  static resolvePath(cwd: string, path: string): string {
    return posix.resolve(cwd, path);
  }
}
