/**
 * POSIX sh single-quoting: inside '…' every character is literal, so the only thing to escape is the
 * quote itself, which becomes `'\''` (close, escaped quote, reopen). The device's shell then passes
 * `arg` to the program byte for byte: `;`, `&&`, `|`, backticks, `$()`, globs and newlines included.
 */
export function quoteShellArg(arg: string): string {
  if (arg.includes('\0')) throw new RangeError('a shell argument cannot contain a NUL character');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** One shell command line running `command` with `args`, every word quoted. */
export function buildCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteShellArg).join(' ');
}
