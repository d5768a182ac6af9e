import { ApiError } from '@ish/platform';
import { CommandPolicy, MAX_COMMAND_LINE_BYTES, parseCommandList } from './command-policy';

const policy = new CommandPolicy({ allowedCommands: ['echo', 'getprop', 'ls'], maxArgs: 3 });

function refusal(command: string, args: string[] = []): { status: number; code: string; details?: unknown } {
  try {
    policy.check(command, args);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.getStatus(), code: error.code, details: error.details };
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('CommandPolicy', () => {
  it('lets an allowed command through and returns its quoted line', () => {
    expect(policy.check('echo', ['a; reboot'])).toBe(`'echo' 'a; reboot'`);
    expect(policy.check('getprop', [])).toBe(`'getprop'`);
  });

  it('refuses a command that is not on the allow-list, naming the allowed ones', () => {
    expect(refusal('reboot')).toEqual({ status: 400, code: 'command_not_allowed', details: [{ field: 'command', message: 'must be one of: echo, getprop, ls' }] });
  });

  it.each(['echo; reboot', 'echo hi', '/system/bin/echo', 'ECHO', ' echo', 'echo\n', '$(echo)', 'sh'])('refuses %j: only an exact program name counts', (command) => {
    expect(refusal(command).code).toBe('command_not_allowed');
  });

  it('refuses an empty command', () => {
    expect(refusal('').code).toBe('command_required');
    expect(refusal('   ').code).toBe('command_required');
  });

  it('refuses more arguments than allowed', () => {
    expect(policy.check('echo', ['1', '2', '3'])).toBeTruthy();
    expect(refusal('echo', ['1', '2', '3', '4'])).toMatchObject({ status: 400, code: 'too_many_args' });
  });

  it('refuses a NUL character in an argument', () => {
    expect(refusal('echo', ['ok', 'a\0b'])).toEqual({ status: 400, code: 'invalid_argument', details: [{ field: 'args.1', message: 'contains NUL' }] });
  });

  it('refuses a command line adb cannot carry', () => {
    expect(refusal('echo', ['x'.repeat(MAX_COMMAND_LINE_BYTES)]).code).toBe('command_too_long');
  });
});

describe('parseCommandList', () => {
  it('splits, trims and de-duplicates', () => {
    expect(parseCommandList(' getprop, dumpsys,,pm ,getprop')).toEqual(['getprop', 'dumpsys', 'pm']);
    expect(parseCommandList('')).toEqual([]);
  });
});
