/**
 * A POSIX sh word splitter for the tests of the quoter: single quotes, double quotes, backslashes.
 * It throws on any unquoted operator or expansion, so a test fails if quoting ever lets one through.
 */
export function parseShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new Error('trailing backslash');
      word += line[++i];
      inWord = true;
    } else if (c === '"') {
      throw new Error('double quotes are never produced by the quoter');
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (/[;&|<>`$(){}\n*?[\]~#!]/.test(c)) {
      throw new Error(`unquoted shell metacharacter ${JSON.stringify(c)} at ${i}`);
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
