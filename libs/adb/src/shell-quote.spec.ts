import { buildCommandLine, quoteShellArg } from './shell-quote';
import { parseShellWords } from './shell-quote.test-helper';

describe('quoteShellArg', () => {
  it.each([
    ['plain', `'plain'`],
    ['', `''`],
    ['a b', `'a b'`],
    [`it's`, `'it'\\''s'`],
    [`'`, `''\\'''`],
    [`''`, `''\\'''\\'''`],
    ['a; reboot', `'a; reboot'`],
    ['$(reboot)', `'$(reboot)'`],
    ['`reboot`', `'\`reboot\`'`],
    ['a\nreboot', `'a\nreboot'`],
    ['\\', `'\\'`],
    ['"x"', `'"x"'`],
  ])('quotes %j as %s', (arg, quoted) => {
    expect(quoteShellArg(arg)).toBe(quoted);
  });

  it('refuses a NUL character, which no shell argument can carry', () => {
    expect(() => quoteShellArg('a\0b')).toThrow(RangeError);
  });

  // every metacharacter the shell knows, alone, doubled, at either end and mixed with quotes
  const hostile = [
    ';', '&', '&&', '|', '||', '>', '>>', '<', '2>&1', '`', '$', '$(', ')', '(', '{', '}', '*', '?', '[', ']', '~', '#', '!', '\\', "'", '"', '\n', '\r', '\t', ' ',
    'a; reboot', 'a && reboot', 'a | sh', '`reboot`', '$(reboot)', '${IFS}reboot', "'; reboot; '", '"; reboot; "', "\\'; reboot", 'a\nreboot', "it's a 'test'", '$HOME', '*', '-rf /',
    'ünïcødé ✓', '\u0001\u007f', "'''", '\\\\\'',
  ];
  it.each(hostile)('a shell reads %j back as exactly one word, unchanged', (arg) => {
    expect(parseShellWords(quoteShellArg(arg))).toEqual([arg]);
    expect(parseShellWords(`echo ${quoteShellArg(arg)} ${quoteShellArg(arg + arg)}`)).toEqual(['echo', arg, arg + arg]);
  });
});

describe('buildCommandLine', () => {
  it('quotes the program and every argument', () => {
    expect(buildCommandLine('echo', ['a; reboot', "it's"])).toBe(`'echo' 'a; reboot' 'it'\\''s'`);
    expect(buildCommandLine('getprop', [])).toBe(`'getprop'`);
  });

  it('gives the shell exactly the words it was given', () => {
    const args = ['a; reboot', '$(id)', '`id`', 'x\ny', "'", ''];
    expect(parseShellWords(buildCommandLine('echo', args))).toEqual(['echo', ...args]);
  });
});
