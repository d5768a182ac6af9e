import { ApiError } from '@ish/platform';
import { buildCommandLine } from './shell-quote';

/** adb's host protocol carries a service name of at most 64 KiB; stay well inside it */
export const MAX_COMMAND_LINE_BYTES = 32_000;

export interface CommandPolicyOptions {
  allowedCommands: readonly string[];
  maxArgs: number;
}

/**
 * What may run on a device: one program from the allow-list, at most `maxArgs` arguments, no NUL,
 * a command line adb can carry. Checked before anything is sent, so a refused request never reaches
 * the device.
 */
export class CommandPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly options: CommandPolicyOptions) {
    this.allowed = new Set(options.allowedCommands);
  }

  get allowedCommands(): readonly string[] {
    return [...this.allowed];
  }

  isAllowed(command: string): boolean {
    return this.allowed.has(command);
  }

  /** Throws a 400 ApiError saying what is wrong; returns the quoted command line otherwise. */
  check(command: string, args: readonly string[]): string {
    if (command.trim() === '') {
      throw ApiError.badRequest('command_required', 'command must name a program', [{ field: 'command', message: 'must not be empty' }]);
    }
    if (!this.allowed.has(command)) {
      throw ApiError.badRequest('command_not_allowed', `"${truncate(command)}" is not an allowed command`, [
        { field: 'command', message: `must be one of: ${this.allowedCommands.join(', ')}` },
      ]);
    }
    if (args.length > this.options.maxArgs) {
      throw ApiError.badRequest('too_many_args', `at most ${this.options.maxArgs} arguments are allowed, got ${args.length}`, [
        { field: 'args', message: `at most ${this.options.maxArgs} items` },
      ]);
    }
    const withNul = args.findIndex((arg) => arg.includes('\0'));
    if (withNul >= 0) {
      throw ApiError.badRequest('invalid_argument', 'an argument cannot contain a NUL character', [{ field: `args.${withNul}`, message: 'contains NUL' }]);
    }
    const line = buildCommandLine(command, args);
    if (Buffer.byteLength(line) > MAX_COMMAND_LINE_BYTES) {
      throw ApiError.badRequest('command_too_long', `the quoted command line is longer than ${MAX_COMMAND_LINE_BYTES} bytes`, [
        { field: 'args', message: `at most ${MAX_COMMAND_LINE_BYTES} bytes in all` },
      ]);
    }
    return line;
  }
}

/** `getprop, dumpsys,pm` → ['getprop', 'dumpsys', 'pm'] */
export function parseCommandList(list: string): string[] {
  return [...new Set(list.split(',').map((name) => name.trim()).filter(Boolean))];
}

function truncate(text: string): string {
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
