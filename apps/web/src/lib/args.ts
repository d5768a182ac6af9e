/**
 * Splits what the operator typed into command arguments, the way a shell user expects: spaces
 * separate, single or double quotes keep spaces, a backslash escapes the next character. Nothing
 * here is run by a shell: the bridge quotes every argument again before it reaches the device.
 */
export function splitArgs(input: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < input.length; i++) {
    const char = input[i];
    if (quote) {
      if (char === quote) quote = null;
      else if (char === '\\' && quote === '"' && i + 1 < input.length) current += input[++i];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inArg = true;
    } else if (char === '\\' && i + 1 < input.length) {
      current += input[++i];
      inArg = true;
    } else if (/\s/.test(char)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += char;
      inArg = true;
    }
  }
  if (quote) throw new Error(`The ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (inArg) args.push(current);
  return args;
}
