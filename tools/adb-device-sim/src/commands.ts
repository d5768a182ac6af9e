// The commands the simulated device knows. Output formats follow what Android 14's toybox,
// dumpsys, pm, wm, settings and input print, closely enough for a client to parse them.
import { DeviceState, KERNEL_VERSION, SettingsNamespace } from './device-state';
import { simulatedScreenshot } from './png';
import type { SimulatedShell } from './shell-interpreter';
import { ExitSignal, SHELL_NAME, ShellIo, abortableDelay } from './shell-runtime';

export interface CommandContext {
  argv: string[];
  io: ShellIo;
  shell: SimulatedShell;
  device: DeviceState;
  signal: AbortSignal;
}

type CommandFn = (ctx: CommandContext) => number | Promise<number>;

const BIN_DIRS = new Set(['/system/bin', '/system/xbin', '/bin', '/vendor/bin', '/product/bin']);

function lines(items: string[]): string {
  return items.map((item) => `${item}\n`).join('');
}

const echo: CommandFn = ({ argv, io }) => {
  let args = argv.slice(1);
  let newline = true;
  while (args[0] === '-n' || args[0] === '-e' || args[0] === '-E') {
    if (args[0] === '-n') newline = false;
    args = args.slice(1);
  }
  io.stdout(args.join(' ') + (newline ? '\n' : ''));
  return 0;
};

const getprop: CommandFn = ({ argv, io, device }) => {
  if (argv.length === 1) {
    io.stdout(lines(Object.keys(device.props).sort().map((key) => `[${key}]: [${device.props[key]}]`)));
    return 0;
  }
  io.stdout(`${device.props[argv[1]] ?? argv[2] ?? ''}\n`);
  return 0;
};

const setprop: CommandFn = ({ argv, io, device }) => {
  if (argv.length !== 3) {
    io.stderr('usage: setprop NAME VALUE\n');
    return 1;
  }
  if (argv[1].startsWith('ro.') && argv[1] in device.props) {
    io.stderr(`Failed to set property '${argv[1]}' to '${argv[2]}'.\n`);
    return 1;
  }
  device.props[argv[1]] = argv[2];
  return 0;
};

const dumpsys: CommandFn = ({ argv, io, device }) => {
  const service = argv[1];
  if (service === undefined) {
    io.stdout('Currently running services:\n  activity\n  battery\n  input\n  package\n  settings\n  window\n');
    return 0;
  }
  if (service === 'battery') {
    const level = device.profile.batteryLevel;
    io.stdout(
      [
        'Current Battery Service state:',
        '  AC powered: false',
        '  USB powered: true',
        '  Wireless powered: false',
        '  Dock powered: false',
        '  Max charging current: 500000',
        '  Max charging voltage: 5000000',
        `  Charge counter: ${level * 45000}`,
        `  status: ${level >= 100 ? 5 : 2}`,
        '  health: 2',
        '  present: true',
        `  level: ${level}`,
        '  scale: 100',
        '  voltage: 4180',
        '  temperature: 268',
        '  technology: Li-ion',
        '',
      ].join('\n'),
    );
    return 0;
  }
  if (service === 'window' && argv[2] === 'displays') {
    io.stdout(`WINDOW MANAGER DISPLAY CONTENTS (dumpsys window displays)\n  Display: mDisplayId=0\n    init=${device.profile.screenWidth}x${device.profile.screenHeight} 420dpi cur=${device.profile.screenWidth}x${device.profile.screenHeight}\n`);
    return 0;
  }
  io.stdout(`Can't find service: ${service}\n`);
  return 0;
};

function packageManager(args: string[], io: ShellIo, device: DeviceState): number {
  const [sub, ...rest] = args;
  if (sub === 'list' && (rest[0] === 'packages' || rest[0] === 'package')) {
    const options = rest.slice(1).filter((arg) => arg.startsWith('-'));
    const filter = rest.slice(1).find((arg) => !arg.startsWith('-'));
    if (options.includes('-3')) return 0; // no third-party packages installed
    const showPath = options.includes('-f');
    const selected = device.packages.filter((name) => filter === undefined || name.includes(filter));
    io.stdout(lines(selected.map((name) => (showPath ? `package:/system/app/${name}/base.apk=${name}` : `package:${name}`))));
    return 0;
  }
  if (sub === 'path' && rest[0] !== undefined) {
    if (!device.packages.includes(rest[0])) return 1;
    io.stdout(`package:/system/app/${rest[0]}/base.apk\n`);
    return 0;
  }
  if (sub === 'clear' && rest[0] !== undefined) {
    io.stdout(device.packages.includes(rest[0]) ? 'Success\n' : 'Failed\n');
    return 0;
  }
  if (sub === 'install') {
    io.stderr('Error: the simulator cannot install packages\n');
    return 1;
  }
  io.stderr(`Unknown command: ${sub ?? ''}\n`);
  return 255;
}

const pm: CommandFn = ({ argv, io, device }) => packageManager(argv.slice(1), io, device);

const cmd: CommandFn = ({ argv, io, device }) => {
  if (argv[1] === 'package') return packageManager(argv.slice(2), io, device);
  io.stderr(`cmd: Can't find service: ${argv[1] ?? ''}\n`);
  return 20;
};

const am: CommandFn = ({ argv, io }) => {
  const sub = argv[1];
  if (sub === 'start' || sub === 'start-activity') {
    const component = argv[argv.indexOf('-n') + 1];
    const action = argv[argv.indexOf('-a') + 1];
    const parts = [argv.includes('-a') ? `act=${action}` : '', argv.includes('-n') ? `cmp=${component}` : ''].filter(Boolean);
    io.stdout(`Starting: Intent { ${parts.join(' ')} }\n`);
    return 0;
  }
  if (sub === 'force-stop' || sub === 'kill') return 0;
  if (sub === 'broadcast') {
    io.stdout(`Broadcasting: Intent { act=${argv[argv.indexOf('-a') + 1] ?? ''} flg=0x400000 }\nBroadcast completed: result=0\n`);
    return 0;
  }
  io.stderr(`Error: Unknown command: ${sub ?? ''}\n`);
  return 255;
};

const INPUT_SOURCES = new Set(['keyboard', 'mouse', 'joystick', 'touchnavigation', 'touchpad', 'trackball', 'dpad', 'stylus', 'gamepad', 'touchscreen', 'rotaryencoder']);

const input: CommandFn = ({ argv, io }) => {
  let args = argv.slice(1);
  if (args[0] !== undefined && INPUT_SOURCES.has(args[0])) args = args.slice(1);
  if (args[0] === '-d') args = args.slice(2);
  const [sub, ...rest] = args;
  const numbers = (count: number, optional = 0): boolean =>
    rest.length >= count && rest.length <= count + optional && rest.every((value) => /^-?[0-9]+(\.[0-9]+)?$/.test(value));
  const usage = (): number => {
    io.stderr(`Error: Invalid arguments for command: ${sub ?? ''}\nUsage: input [<source>] [-d DISPLAY_ID] <command> [<arg>...]\n`);
    return 1;
  };
  switch (sub) {
    case 'tap':
      return numbers(2) ? 0 : usage();
    case 'swipe':
    case 'draganddrop':
      return numbers(4, 1) ? 0 : usage();
    case 'text':
      return rest.length >= 1 ? 0 : usage();
    case 'keyevent':
    case 'press':
    case 'roll':
    case 'motionevent':
      return sub === 'press' || rest.length >= 1 ? 0 : usage();
    default:
      return usage();
  }
};

const wm: CommandFn = ({ argv, io, device }) => {
  const { screenWidth, screenHeight } = device.profile;
  if (argv[1] === 'size' && argv.length === 2) {
    io.stdout(`Physical size: ${screenWidth}x${screenHeight}\n`);
    return 0;
  }
  if (argv[1] === 'density' && argv.length === 2) {
    io.stdout(`Physical density: ${device.props['ro.sf.lcd_density']}\n`);
    return 0;
  }
  if (argv[1] === 'size' || argv[1] === 'density') return 0;
  io.stderr(`Error: unknown command '${argv[1] ?? ''}'\n`);
  return 255;
};

const settings: CommandFn = ({ argv, io, device }) => {
  const [, verb, ns, key, value] = argv;
  const namespaces: SettingsNamespace[] = ['system', 'secure', 'global'];
  if (ns === undefined || !namespaces.includes(ns as SettingsNamespace)) {
    io.stderr('Invalid namespace\nusage:  settings [--user <USER_ID> | current] get namespace key\n');
    return 255;
  }
  const table = device.settings[ns as SettingsNamespace];
  switch (verb) {
    case 'get':
      if (key === undefined) break;
      io.stdout(`${table.get(key) ?? 'null'}\n`);
      return 0;
    case 'put':
      if (key === undefined || value === undefined) break;
      table.set(key, value);
      return 0;
    case 'delete':
      if (key === undefined) break;
      io.stdout(`Deleted ${table.delete(key) ? 1 : 0} rows\n`);
      return 0;
    case 'list':
      io.stdout(lines([...table.keys()].sort().map((name) => `${name}=${table.get(name)}`)));
      return 0;
  }
  io.stderr('usage:  settings [--user <USER_ID> | current] get namespace key\n');
  return 255;
};

const screencap: CommandFn = ({ argv, io, device, shell }) => {
  const args = argv.slice(1);
  let png = false;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-p') png = true;
    else if (arg === '-d') i++;
    else if (arg === '-h') {
      io.stderr('usage: screencap [-hp] [-d display-id] [FILENAME]\n');
      return 0;
    } else if (arg.startsWith('-')) {
      io.stderr(`screencap: invalid option -- '${arg.slice(1)}'\n`);
      return 1;
    } else file = arg;
  }
  const { screenshotWidth: width, screenshotHeight: height } = device.profile;
  let image: Buffer;
  if (png || (file !== undefined && file.endsWith('.png'))) {
    image = simulatedScreenshot(width, height);
  } else {
    // raw format: width, height, pixel format (1 = RGBA_8888), colour space, then the pixels
    const header = Buffer.alloc(16);
    header.writeUInt32LE(width, 0);
    header.writeUInt32LE(height, 4);
    header.writeUInt32LE(1, 8);
    header.writeUInt32LE(1, 12);
    const pixels = Buffer.alloc(width * height * 4);
    for (let i = 0; i < width * height; i++) pixels.writeUInt32BE(0x3ddc84ff, i * 4);
    image = Buffer.concat([header, pixels]);
  }
  if (file !== undefined) device.writeFile(DeviceState.resolvePath(shell.cwd, file), image, false);
  else io.stdout(image);
  return 0;
};

const ls: CommandFn = ({ argv, io, device, shell }) => {
  const long = argv.slice(1).some((arg) => /^-[a-zA-Z]*l/.test(arg));
  const paths = argv.slice(1).filter((arg) => !arg.startsWith('-'));
  if (paths.length === 0) paths.push('.');
  let status = 0;
  const format = (name: string, directory: boolean): string =>
    long ? `${directory ? 'drwxr-xr-x' : '-rw-r--r--'} 2 root root 4096 2024-01-01 00:00 ${name}` : name;
  paths.forEach((path, index) => {
    const resolved = DeviceState.resolvePath(shell.cwd, path);
    const entries = device.listDirectory(resolved);
    if (entries !== undefined) {
      if (paths.length > 1) io.stdout(`${index > 0 ? '\n' : ''}${path}:\n`);
      io.stdout(lines(entries.map((entry) => format(entry, device.isDirectory(DeviceState.resolvePath(resolved, entry))))));
    } else if (device.readFile(resolved) !== undefined) {
      io.stdout(`${format(path, false)}\n`);
    } else {
      io.stderr(`ls: ${path}: No such file or directory\n`);
      status = 1;
    }
  });
  return status;
};

const cat: CommandFn = ({ argv, io, device, shell }) => {
  const files = argv.slice(1).filter((arg) => arg === '-' || !arg.startsWith('-'));
  if (files.length === 0) {
    io.stdout(io.stdin);
    return 0;
  }
  let status = 0;
  for (const file of files) {
    if (file === '-') {
      io.stdout(io.stdin);
      continue;
    }
    const resolved = DeviceState.resolvePath(shell.cwd, file);
    const data = device.readFile(resolved);
    if (data !== undefined) io.stdout(data);
    else {
      io.stderr(`cat: ${file}: ${device.isDirectory(resolved) ? 'Is a directory' : 'No such file or directory'}\n`);
      status = 1;
    }
  }
  return status;
};

const grep: CommandFn = ({ argv, io, device, shell }) => {
  const options = new Set<string>();
  const operands: string[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-') && arg.length > 1 && operands.length === 0) for (const flag of arg.slice(1)) options.add(flag);
    else operands.push(arg);
  }
  const [pattern, ...files] = operands;
  if (pattern === undefined) {
    io.stderr('usage: grep [-civqEF] PATTERN [FILE...]\n');
    return 2;
  }
  const flags = options.has('i') ? 'i' : '';
  let regex: RegExp;
  try {
    regex = options.has('F') ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags) : new RegExp(pattern, flags);
  } catch {
    regex = new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags);
  }
  const inputs = files.length === 0 ? [io.stdin] : files.map((file) => device.readFile(DeviceState.resolvePath(shell.cwd, file)) ?? Buffer.alloc(0));
  const matched = inputs
    .flatMap((data) => data.toString('utf8').split('\n').filter((line, i, all) => i < all.length - 1 || line !== ''))
    .filter((line) => regex.test(line) !== options.has('v'));
  if (options.has('c')) io.stdout(`${matched.length}\n`);
  else if (!options.has('q')) io.stdout(lines(matched));
  return matched.length > 0 ? 0 : 1;
};

/** Reads the named files (or stdin) for filters like head, tail, wc. */
function filterInput({ argv, io, device, shell }: CommandContext, operands: string[]): Buffer | number {
  if (operands.length === 0) return io.stdin;
  const parts: Buffer[] = [];
  for (const file of operands) {
    const data = device.readFile(DeviceState.resolvePath(shell.cwd, file));
    if (data === undefined) {
      io.stderr(`${argv[0]}: ${file}: No such file or directory\n`);
      return 1;
    }
    parts.push(data);
  }
  return Buffer.concat(parts);
}

function splitLines(data: Buffer): string[] {
  const text = data.toString('utf8');
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

const headOrTail: CommandFn = (ctx) => {
  let count = 10;
  const operands: string[] = [];
  const args = ctx.argv.slice(1);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-n') count = Number(args[++i]);
    else if (/^-n?[0-9]+$/.test(arg)) count = Number(arg.replace(/^-n?/, ''));
    else operands.push(arg);
  }
  if (!Number.isInteger(count) || count < 0) {
    ctx.io.stderr(`${ctx.argv[0]}: bad -n\n`);
    return 1;
  }
  const input = filterInput(ctx, operands);
  if (typeof input === 'number') return input;
  const all = splitLines(input);
  const selected = ctx.argv[0].endsWith('head') ? all.slice(0, count) : count === 0 ? [] : all.slice(-count);
  ctx.io.stdout(lines(selected));
  return 0;
};

const wc: CommandFn = (ctx) => {
  const flags = ctx.argv.slice(1).filter((arg) => arg.startsWith('-')).join('');
  const input = filterInput(ctx, ctx.argv.slice(1).filter((arg) => !arg.startsWith('-')));
  if (typeof input === 'number') return input;
  const text = input.toString('utf8');
  const counts = { l: (text.match(/\n/g) ?? []).length, w: text.split(/\s+/).filter(Boolean).length, c: input.length };
  const chosen = (['l', 'w', 'c'] as const).filter((flag) => flags.includes(flag));
  ctx.io.stdout(`${(chosen.length > 0 ? chosen : (['l', 'w', 'c'] as const)).map((flag) => counts[flag]).join(' ')}\n`);
  return 0;
};

const sleep: CommandFn = async ({ argv, io, signal }) => {
  const match = /^([0-9]*\.?[0-9]+)([smhd]?)$/.exec(argv[1] ?? '');
  if (!match) {
    io.stderr(`sleep: Not a number '${argv[1] ?? ''}'\n`);
    return 1;
  }
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  await abortableDelay(Number(match[1]) * unit * 1000, signal);
  return 0;
};

const exit: CommandFn = ({ argv, io, shell }) => {
  if (argv[1] === undefined) throw new ExitSignal(shell.lastStatus);
  if (!/^-?[0-9]+$/.test(argv[1])) {
    io.stderr(`${SHELL_NAME}: exit: ${argv[1]}: bad number\n`);
    throw new ExitSignal(1);
  }
  throw new ExitSignal(Number(argv[1]) & 0xff);
};

const cd: CommandFn = ({ argv, io, shell, device }) => {
  const target = DeviceState.resolvePath(shell.cwd, argv[1] ?? '/');
  if (!device.isDirectory(target)) {
    io.stderr(`${SHELL_NAME}: cd: ${target}: No such file or directory\n`);
    return 2;
  }
  shell.cwd = target;
  return 0;
};

const uname: CommandFn = ({ argv, io }) => {
  const release = KERNEL_VERSION.split(' ')[2];
  const flags = argv.slice(1).join('');
  if (flags.includes('a')) io.stdout(`Linux localhost ${release} #1 SMP PREEMPT Mon Jan 1 00:00:00 UTC 2024 aarch64 Toybox\n`);
  else if (flags.includes('r')) io.stdout(`${release}\n`);
  else if (flags.includes('m')) io.stdout('aarch64\n');
  else io.stdout('Linux\n');
  return 0;
};

const date: CommandFn = ({ io }) => {
  const now = new Date();
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number): string => String(n).padStart(2, '0');
  io.stdout(
    `${days[now.getUTCDay()]} ${months[now.getUTCMonth()]} ${String(now.getUTCDate()).padStart(2, ' ')} ${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())} UTC ${now.getUTCFullYear()}\n`,
  );
  return 0;
};

const COMMANDS: Record<string, CommandFn> = {
  ':': () => 0,
  am,
  cat,
  cd,
  cmd,
  date,
  dumpsys,
  echo,
  exit,
  false: () => 1,
  getprop,
  grep,
  head: headOrTail,
  id: ({ io }) => {
    io.stdout('uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log),1011(adb),1015(sdcard_rw),1028(sdcard_r),3003(inet) context=u:r:shell:s0\n');
    return 0;
  },
  input,
  ls,
  pm,
  pwd: ({ io, shell }) => {
    io.stdout(`${shell.cwd}\n`);
    return 0;
  },
  // the attempt is recorded in the command log; the simulated device stays up
  reboot: () => 0,
  screencap,
  setprop,
  settings,
  sleep,
  tail: headOrTail,
  true: () => 0,
  uname,
  whoami: ({ io }) => {
    io.stdout('shell\n');
    return 0;
  },
  wc,
  wm,
};

/** Names of the commands the simulated shell knows. */
export const KNOWN_COMMANDS = Object.keys(COMMANDS).sort();

export async function runBuiltinCommand(ctx: CommandContext): Promise<number> {
  const name = ctx.argv[0];
  let fn = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (fn === undefined && name.includes('/')) {
    const slash = name.lastIndexOf('/');
    const base = name.slice(slash + 1);
    if (BIN_DIRS.has(name.slice(0, slash)) && Object.prototype.hasOwnProperty.call(COMMANDS, base)) fn = COMMANDS[base];
  }
  if (fn === undefined) {
    ctx.io.stderr(`${SHELL_NAME}: ${name}: inaccessible or not found\n`);
    return 127;
  }
  return fn(ctx);
}
