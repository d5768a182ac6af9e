// A parser for the subset of POSIX sh that the simulated device shell understands.
//
// It follows the real quoting rules so a caller's quoting mistakes show up exactly as they would
// on a device: single quotes are literal, double quotes keep `$` and backquote expansion, a
// backslash escapes the next character, and UNQUOTED `;` `&` `&&` `||` `|` newlines, `$(...)`,
// backquotes, `( ... )` and redirections are operators. Nothing here ever runs anything; the
// interpreter (shell-interpreter.ts) walks the tree against the simulated device.

export type WordPart =
  | { kind: 'text'; value: string; quoted: boolean }
  | { kind: 'param'; name: string; quoted: boolean }
  | { kind: 'subst'; list: CommandList; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

/**
 * The parts of a word as it is read: plain characters gather into one text part until another part or the end.
 * Inside double quotes (`quoted`) the text part is kept even when empty: `""` is still a word.
 */
class WordParts {
  private readonly parts: WordPart[] = [];
  private text = '';

  constructor(readonly quoted: boolean) {}

  addText(text: string): void {
    this.text += text;
  }

  /** what `$` read: plain text joins the gathered text, a parameter or substitution ends it */
  addExpansion(part: WordPart): void {
    if (part.kind === 'text') this.text += part.value;
    else this.push(part);
  }

  push(...parts: WordPart[]): void {
    this.flush();
    this.parts.push(...parts);
  }

  end(): WordPart[] {
    this.flush();
    return this.parts;
  }

  private flush(): void {
    if (this.text !== '' || this.quoted) this.parts.push({ kind: 'text', value: this.text, quoted: this.quoted });
    this.text = '';
  }
}

export type RedirectOp = '>' | '>>' | '>|' | '<' | '>&' | '<&' | '<>';

export interface Redirect {
  fd: number;
  op: RedirectOp;
  target: Word;
}

export interface Assignment {
  name: string;
  value: Word;
}

export interface SimpleCommand {
  kind: 'simple';
  assignments: Assignment[];
  words: Word[];
  redirects: Redirect[];
}

export interface Subshell {
  kind: 'subshell';
  list: CommandList;
  redirects: Redirect[];
}

export type Command = SimpleCommand | Subshell;

export interface Pipeline {
  negated: boolean;
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface CommandList {
  items: { andOr: AndOr; background: boolean }[];
}

export class ShellSyntaxError extends Error {}

const BLANK = new Set([' ', '\t']);
/** Characters that end an unquoted word. */
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '<', '>', '(', ')']);
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAMS = new Set(['?', '$', '#', '!', '@', '*', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseScript(): CommandList {
    const list = this.parseList(false);
    if (this.pos < this.src.length) throw this.unexpected();
    return list;
  }

  private peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  private startsWith(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }

  private unexpected(): ShellSyntaxError {
    const c = this.peek();
    if (c === undefined) return new ShellSyntaxError('syntax error: unexpected end of file');
    return new ShellSyntaxError(`syntax error: '${c === '\n' ? 'newline' : c}' unexpected`);
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.peek();
      if (c !== undefined && BLANK.has(c)) this.pos++;
      else if (c === '\\' && this.peek(1) === '\n') this.pos += 2; // line continuation
      else break;
    }
  }

  private skipComment(): void {
    if (this.peek() === '#') while (this.pos < this.src.length && this.peek() !== '\n') this.pos++;
  }

  /** Blanks, comments and newlines: what may sit between commands of a list. */
  private skipLinebreaks(): void {
    for (;;) {
      this.skipBlanks();
      this.skipComment();
      if (this.peek() === '\n') this.pos++;
      else break;
    }
  }

  private parseList(inParens: boolean, allowEmpty = false): CommandList {
    const items: CommandList['items'] = [];
    for (;;) {
      this.skipLinebreaks();
      const c = this.peek();
      if (c === undefined) break;
      if (c === ')') {
        if (inParens) break;
        throw this.unexpected();
      }
      const andOr = this.parseAndOr();
      this.skipBlanks();
      this.skipComment();
      const next = this.peek();
      if (next === ';' && this.peek(1) !== ';') {
        this.pos++;
        items.push({ andOr, background: false });
      } else if (next === '&' && this.peek(1) !== '&') {
        this.pos++;
        items.push({ andOr, background: true });
      } else if (next === '\n') {
        this.pos++;
        items.push({ andOr, background: false });
      } else if (next === undefined || (next === ')' && inParens)) {
        items.push({ andOr, background: false });
      } else {
        throw this.unexpected();
      }
    }
    if (inParens && !allowEmpty && items.length === 0) throw this.unexpected();
    return { items };
  }

  private parseAndOr(): AndOr {
    const first = this.parsePipeline();
    const rest: AndOr['rest'] = [];
    for (;;) {
      this.skipBlanks();
      let op: '&&' | '||';
      if (this.startsWith('&&')) op = '&&';
      else if (this.startsWith('||')) op = '||';
      else break;
      this.pos += 2;
      this.skipLinebreaks();
      rest.push({ op, pipeline: this.parsePipeline() });
    }
    return { first, rest };
  }

  private parsePipeline(): Pipeline {
    this.skipBlanks();
    let negated = false;
    if (this.peek() === '!' && (this.peek(1) === undefined || BLANK.has(this.peek(1)!))) {
      negated = true;
      this.pos++;
    }
    const commands = [this.parseCommand()];
    for (;;) {
      this.skipBlanks();
      if (this.peek() === '|' && this.peek(1) !== '|') {
        this.pos++;
        this.skipLinebreaks();
        commands.push(this.parseCommand());
      } else break;
    }
    return { negated, commands };
  }

  private parseCommand(): Command {
    this.skipBlanks();
    if (this.peek() === '(') {
      this.pos++;
      const list = this.parseList(true);
      if (this.peek() !== ')') throw this.unexpected();
      this.pos++;
      const redirects: Redirect[] = [];
      for (;;) {
        this.skipBlanks();
        const redirect = this.tryParseRedirect();
        if (!redirect) break;
        redirects.push(redirect);
      }
      return { kind: 'subshell', list, redirects };
    }
    const command: SimpleCommand = { kind: 'simple', assignments: [], words: [], redirects: [] };
    for (;;) {
      this.skipBlanks();
      const c = this.peek();
      if (c === undefined || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')') break;
      if (c === '#') {
        this.skipComment();
        break;
      }
      if (c === '(') throw this.unexpected();
      const redirect = this.tryParseRedirect();
      if (redirect) {
        command.redirects.push(redirect);
        continue;
      }
      const word = this.parseWord();
      const assignment = command.words.length === 0 ? asAssignment(word) : undefined;
      if (assignment) command.assignments.push(assignment);
      else command.words.push(word);
    }
    if (command.words.length === 0 && command.assignments.length === 0 && command.redirects.length === 0) {
      throw this.unexpected();
    }
    return command;
  }

  private tryParseRedirect(): Redirect | undefined {
    const start = this.pos;
    let digits = '';
    while (this.peek() !== undefined && /[0-9]/.test(this.peek()!)) digits += this.src[this.pos++];
    const c = this.peek();
    if (c !== '<' && c !== '>') {
      this.pos = start;
      return undefined;
    }
    let op: RedirectOp;
    if (this.startsWith('<<')) throw new ShellSyntaxError('here-documents are not supported by the simulator');
    else if (this.startsWith('>>')) op = '>>';
    else if (this.startsWith('>&')) op = '>&';
    else if (this.startsWith('>|')) op = '>|';
    else if (this.startsWith('<&')) op = '<&';
    else if (this.startsWith('<>')) op = '<>';
    else op = c;
    this.pos += op.length;
    this.skipBlanks();
    const next = this.peek();
    if (next === undefined || WORD_END.has(next)) throw this.unexpected();
    const target = this.parseWord();
    const fd = digits !== '' ? Number(digits) : op.startsWith('<') ? 0 : 1;
    return { fd, op, target };
  }

  private parseWord(): Word {
    const word = new WordParts(false);
    for (;;) {
      const c = this.peek();
      if (c === undefined || WORD_END.has(c)) break;
      if (c === '\\') {
        const next = this.peek(1);
        if (next === '\n') {
          this.pos += 2;
        } else if (next === undefined) {
          word.addText('\\');
          this.pos++;
        } else {
          word.push({ kind: 'text', value: next, quoted: true });
          this.pos += 2;
        }
      } else if (c === "'") {
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) throw new ShellSyntaxError("syntax error: no closing quote (')");
        word.push({ kind: 'text', value: this.src.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        this.pos++;
        word.push(...this.parseDoubleQuoted());
      } else this.readExpansionOrChar(c, word);
    }
    return { parts: word.end() };
  }

  private parseDoubleQuoted(): WordPart[] {
    // called after the opening quote; the result always holds at least one (maybe empty) part
    const word = new WordParts(true);
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ShellSyntaxError('syntax error: no closing quote (")');
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\') {
        const next = this.peek(1);
        if (next === '\n') this.pos += 2;
        else if (next === '$' || next === '`' || next === '"' || next === '\\') {
          word.addText(next);
          this.pos += 2;
        } else {
          word.addText('\\');
          this.pos++;
        }
      } else this.readExpansionOrChar(c, word);
    }
    return word.end();
  }

  /** `$…`, a backquoted command or a plain character: read alike inside and outside double quotes. */
  private readExpansionOrChar(c: string, word: WordParts): void {
    if (c === '$') word.addExpansion(this.parseDollar(word.quoted));
    else if (c === '`') word.push(this.parseBackquote(word.quoted));
    else {
      word.addText(c);
      this.pos++;
    }
  }


  private parseDollar(quoted: boolean): WordPart {
    // at '$'
    const next = this.peek(1);
    if (next === '(') {
      if (this.peek(2) === '(') throw new ShellSyntaxError('arithmetic expansion $((...)) is not supported by the simulator');
      this.pos += 2;
      const list = this.parseList(true, true);
      if (this.peek() !== ')') throw new ShellSyntaxError("syntax error: no closing ')' for '$('");
      this.pos++;
      return { kind: 'subst', list, quoted };
    }
    if (next === '{') {
      const end = this.src.indexOf('}', this.pos + 2);
      if (end < 0) throw new ShellSyntaxError("syntax error: no closing '}' for '${'");
      const name = this.src.slice(this.pos + 2, end);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9?$#!@*-])$/.test(name)) throw new ShellSyntaxError(`\${${name}}: bad substitution`);
      this.pos = end + 1;
      return { kind: 'param', name, quoted };
    }
    if (next !== undefined && NAME_START.test(next)) {
      let end = this.pos + 1;
      while (end < this.src.length && NAME_CHAR.test(this.src[end])) end++;
      const name = this.src.slice(this.pos + 1, end);
      this.pos = end;
      return { kind: 'param', name, quoted };
    }
    if (next !== undefined && SPECIAL_PARAMS.has(next)) {
      this.pos += 2;
      return { kind: 'param', name: next, quoted };
    }
    this.pos++;
    return { kind: 'text', value: '$', quoted };
  }

  private parseBackquote(quoted: boolean): WordPart {
    // at '`': the old-style substitution; inside it a backslash only escapes $ ` \ (and " when quoted)
    let inner = '';
    let at = this.pos + 1;
    for (;;) {
      const c = this.src[at];
      if (c === undefined) throw new ShellSyntaxError('syntax error: no closing quote (`)');
      if (c === '`') break;
      if (c === '\\') {
        const next = this.src[at + 1];
        if (next === '$' || next === '`' || next === '\\' || (quoted && next === '"')) {
          inner += next;
          at += 2;
          continue;
        }
      }
      inner += c;
      at++;
    }
    this.pos = at + 1;
    return { kind: 'subst', list: new Parser(inner).parseScript(), quoted };
  }
}

function asAssignment(word: Word): Assignment | undefined {
  const first = word.parts[0];
  if (!first || first.kind !== 'text' || first.quoted) return undefined;
  const match = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.value);
  if (!match) return undefined;
  const rest = first.value.slice(match[0].length);
  const valueParts: WordPart[] = rest !== '' ? [{ kind: 'text', value: rest, quoted: false }] : [];
  return { name: match[1], value: { parts: [...valueParts, ...word.parts.slice(1)] } };
}

/** Parses a command string the way `sh -c` would (throws ShellSyntaxError). */
export function parseShell(src: string): CommandList {
  return new Parser(src).parseScript();
}

/**
 * Splits a command string into argv for the common case of ONE simple command without
 * expansions; throws if the string contains operators or substitutions. Handy for tests and for
 * checking how a string would be tokenised.
 */
export function splitArgv(src: string): string[] {
  const list = parseShell(src);
  if (list.items.length === 0) return [];
  const [item] = list.items;
  const command = item.andOr.first.commands[0];
  if (list.items.length !== 1 || item.background || item.andOr.rest.length > 0 || item.andOr.first.commands.length !== 1 || command.kind !== 'simple' || command.redirects.length > 0 || command.assignments.length > 0) {
    throw new Error('not a single simple command');
  }
  return command.words.map((word) => {
    if (word.parts.some((part) => part.kind !== 'text')) throw new Error('word has expansions');
    return word.parts.map((part) => (part.kind === 'text' ? part.value : '')).join('');
  });
}
