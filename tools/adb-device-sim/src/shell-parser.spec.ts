import { ShellSyntaxError, parseShell, splitArgv } from './shell-parser';

describe('shell quoting (splitArgv)', () => {
  it.each<[string, string[]]>([
    ['echo a b', ['echo', 'a', 'b']],
    ['  echo   a\tb  ', ['echo', 'a', 'b']],
    ["echo 'a; reboot'", ['echo', 'a; reboot']],
    ['echo "a; reboot"', ['echo', 'a; reboot']],
    ['echo a\\;\\ reboot', ['echo', 'a; reboot']],
    ["echo ''", ['echo', '']],
    ['echo ""', ['echo', '']],
    ["echo 'it'\\''s'", ['echo', "it's"]],
    ['echo "say \\"hi\\" \\\\ \\$HOME \\n"', ['echo', 'say "hi" \\ $HOME \\n']],
    ["echo '$(reboot)' '`reboot`'", ['echo', '$(reboot)', '`reboot`']],
    ["echo 'multi\nline'", ['echo', 'multi\nline']],
    ['echo a\\\nb', ['echo', 'ab']],
    ["input text 'hello world'", ['input', 'text', 'hello world']],
    ['echo a#b # comment', ['echo', 'a#b']],
    ['echo "a"\'b\'c', ['echo', 'abc']],
    ['echo $', ['echo', '$']],
  ])('%j', (src, argv) => {
    expect(splitArgv(src)).toEqual(argv);
  });

  it('refuses strings that are more than one simple command', () => {
    expect(() => splitArgv('echo a; reboot')).toThrow('not a single simple command');
    expect(() => splitArgv('echo $(reboot)')).toThrow('expansions');
  });
});

describe('shell operators (parseShell)', () => {
  const shape = (src: string): unknown =>
    parseShell(src).items.map((item) => ({
      bg: item.background,
      ops: item.andOr.rest.map((r) => r.op),
      pipes: [item.andOr.first, ...item.andOr.rest.map((r) => r.pipeline)].map((p) => p.commands.length),
    }));

  it('splits unquoted ; & && || | and newlines like sh', () => {
    expect(shape('echo a; reboot')).toEqual([
      { bg: false, ops: [], pipes: [1] },
      { bg: false, ops: [], pipes: [1] },
    ]);
    expect(shape('a && b || c')).toEqual([{ bg: false, ops: ['&&', '||'], pipes: [1, 1, 1] }]);
    expect(shape('a | b | c & d')).toEqual([
      { bg: true, ops: [], pipes: [3] },
      { bg: false, ops: [], pipes: [1] },
    ]);
    expect(shape('a\nb\n\nc;')).toHaveLength(3);
    expect(shape('echo a;reboot')).toHaveLength(2);
    expect(shape('')).toEqual([]);
  });

  it('parses substitutions, subshells and redirections', () => {
    const [item] = parseShell('echo $(reboot) `id` "$(getprop x)" 2>&1 >/dev/null').items;
    const command = item.andOr.first.commands[0];
    if (command.kind !== 'simple') throw new Error('expected a simple command');
    expect(command.words).toHaveLength(4);
    expect(command.words[1].parts[0]).toMatchObject({ kind: 'subst', quoted: false });
    expect(command.words[2].parts[0]).toMatchObject({ kind: 'subst', quoted: false });
    expect(command.words[3].parts).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'subst', quoted: true })]));
    expect(command.redirects.map((r) => [r.fd, r.op])).toEqual([
      [2, '>&'],
      [1, '>'],
    ]);
    const sub = parseShell('(cd /sdcard; ls) > out').items[0].andOr.first.commands[0];
    expect(sub.kind).toBe('subshell');
    const assign = parseShell('A=1 B="x y" echo').items[0].andOr.first.commands[0];
    expect(assign.kind === 'simple' && assign.assignments.map((a) => a.name)).toEqual(['A', 'B']);
  });

  it.each(["echo 'unterminated", 'echo "unterminated', 'echo `x', 'echo $(x', '; echo', 'echo a ;; echo b', 'echo (x)', 'a &&', 'a |', ')', 'echo >', 'cat <<EOF'])(
    'rejects %j as a syntax error',
    (src) => {
      expect(() => parseShell(src)).toThrow(ShellSyntaxError);
    },
  );
});
