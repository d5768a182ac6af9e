// Runs parsed shell scripts against the simulated device. Nothing is ever executed on the host:
// every command name resolves to a function in commands.ts or to "inaccessible or not found".
import { runBuiltinCommand } from './commands';
import { DeviceState } from './device-state';
import { AbortedError, ExitSignal, Output, SHELL_NAME, ShellIo, abortableDelay, preciseNow, toBuffer } from './shell-runtime';
import { CommandList, Command, Pipeline, Redirect, ShellSyntaxError, SimpleCommand, Word, parseShell } from './shell-parser';

/** Called when a simple command starts; the returned function is called with its exit status when it ends. */
export type CommandObserver = (argv: string[]) => (exitCode: number) => void;

export interface SimulatedShellOptions {
  device: DeviceState;
  signal: AbortSignal;
  /** Each simple command takes at least this long (so overlapping shells are observable). */
  commandDelayMs?: number;
  onCommand?: CommandObserver;
}

interface Segment {
  text: string;
  /** Result of an unquoted expansion: subject to field splitting. */
  split: boolean;
  /** Part of a quoted string: makes the word exist even when empty. */
  quoted: boolean;
}

const IFS = new Set([' ', '\t', '\n']);

export class SimulatedShell {
  cwd = '/';
  readonly vars: Map<string, string>;
  lastStatus = 0;
  /** Set once `exit` ran at the top level (an interactive session then ends). */
  exitRequested = false;
  readonly device: DeviceState;
  readonly signal: AbortSignal;
  private readonly commandDelayMs: number;
  private readonly onCommand?: CommandObserver;

  constructor(options: SimulatedShellOptions) {
    this.device = options.device;
    this.signal = options.signal;
    this.commandDelayMs = options.commandDelayMs ?? 0;
    this.onCommand = options.onCommand;
    this.vars = new Map([
      ['HOME', '/'],
      ['HOSTNAME', options.device.profile.device],
      ['PATH', '/product/bin:/apex/com.android.runtime/bin:/system/bin:/system/xbin:/vendor/bin'],
      ['SHELL', SHELL_NAME],
      ['TMPDIR', '/data/local/tmp'],
      ['USER', 'shell'],
    ]);
  }

  /** Runs `sh -c <script>` and returns its exit status. */
  async run(script: string, io: ShellIo): Promise<number> {
    let list: CommandList;
    try {
      list = parseShell(script);
    } catch (error) {
      if (error instanceof ShellSyntaxError) {
        io.stderr(`${SHELL_NAME}: ${error.message}\n`);
        this.lastStatus = error.message.startsWith('syntax error') ? 1 : 2;
        return this.lastStatus;
      }
      throw error;
    }
    try {
      return await this.runList(list, io);
    } catch (error) {
      if (error instanceof ExitSignal) {
        this.lastStatus = error.code;
        this.exitRequested = true;
        return error.code;
      }
      throw error;
    }
  }

  private checkAborted(): void {
    if (this.signal.aborted) throw new AbortedError();
  }

  private async runList(list: CommandList, io: ShellIo): Promise<number> {
    let status = 0;
    for (const item of list.items) {
      this.checkAborted();
      // `&` would run in the background on a device; here it runs in order (documented).
      status = await this.runPipeline(item.andOr.first, io);
      for (const { op, pipeline } of item.andOr.rest) {
        if ((op === '&&' && status === 0) || (op === '||' && status !== 0)) status = await this.runPipeline(pipeline, io);
      }
    }
    return status;
  }

  private async runPipeline(pipeline: Pipeline, io: ShellIo): Promise<number> {
    let status: number;
    if (pipeline.commands.length === 1) {
      status = await this.runCommand(pipeline.commands[0], io);
    } else {
      // each stage runs to completion and feeds its whole output to the next one
      let input = io.stdin;
      status = 0;
      for (let i = 0; i < pipeline.commands.length; i++) {
        const last = i === pipeline.commands.length - 1;
        const captured: Buffer[] = [];
        const stageIo: ShellIo = { stdin: input, stdout: last ? io.stdout : (data) => captured.push(toBuffer(data)), stderr: io.stderr };
        try {
          status = await this.runCommand(pipeline.commands[i], stageIo);
        } catch (error) {
          if (!(error instanceof ExitSignal)) throw error;
          status = error.code;
        }
        input = Buffer.concat(captured);
      }
    }
    if (pipeline.negated) status = status === 0 ? 1 : 0;
    this.lastStatus = status;
    return status;
  }

  private async runCommand(command: Command, io: ShellIo): Promise<number> {
    if (command.kind === 'subshell') {
      const redirected = await this.applyRedirects(command.redirects, io);
      if (typeof redirected === 'number') return redirected;
      const savedVars = new Map(this.vars);
      const savedCwd = this.cwd;
      try {
        return await this.runList(command.list, redirected);
      } catch (error) {
        if (error instanceof ExitSignal) return error.code;
        throw error;
      } finally {
        this.vars.clear();
        for (const [key, value] of savedVars) this.vars.set(key, value);
        this.cwd = savedCwd;
      }
    }
    return this.runSimple(command, io);
  }

  private async runSimple(command: SimpleCommand, io: ShellIo): Promise<number> {
    this.lastSubstStatus = undefined;
    const argv: string[] = [];
    for (const word of command.words) argv.push(...(await this.expandWord(word, io)));
    const assignments: [string, string][] = [];
    for (const { name, value } of command.assignments) assignments.push([name, await this.expandWordNoSplit(value, io)]);
    const redirected = await this.applyRedirects(command.redirects, io);
    if (typeof redirected === 'number') return redirected;
    if (argv.length === 0) {
      for (const [name, value] of assignments) this.vars.set(name, value);
      return this.lastSubstStatus ?? 0;
    }
    this.checkAborted();
    const finish = this.onCommand?.(argv);
    const started = preciseNow();
    let status = 130;
    try {
      status = await runBuiltinCommand({ argv, io: redirected, shell: this, device: this.device, signal: this.signal });
      return status;
    } catch (error) {
      if (error instanceof ExitSignal) status = error.code;
      throw error;
    } finally {
      // timers may fire a fraction of a millisecond early (libuv's cached loop time): loop
      for (let remaining = this.commandDelayMs - (preciseNow() - started); remaining > 0 && !this.signal.aborted; remaining = this.commandDelayMs - (preciseNow() - started)) {
        try {
          await abortableDelay(Math.ceil(remaining), this.signal);
        } catch {
          // aborted: the stream is gone anyway
        }
      }
      finish?.(status);
    }
  }

  private lastSubstStatus: number | undefined;

  private async applyRedirects(redirects: Redirect[], io: ShellIo): Promise<ShellIo | number> {
    let current: ShellIo = io;
    for (const redirect of redirects) {
      const target = await this.expandWordNoSplit(redirect.target, io);
      const { fd, op } = redirect;
      if (op === '>&' || op === '<&') {
        if (target === '-') current = setFd(current, fd, () => undefined);
        else if (target === '1') current = setFd(current, fd, current.stdout);
        else if (target === '2') current = setFd(current, fd, current.stderr);
        else if (!/^[0-9]+$/.test(target) && op === '>&') current = this.fileRedirect(current, 1, target, false, true);
        continue;
      }
      if (op === '<' || op === '<>') {
        if (fd !== 0) continue;
        const path = DeviceState.resolvePath(this.cwd, target);
        const data = this.device.readFile(path);
        if (data === undefined) {
          io.stderr(`${SHELL_NAME}: can't open ${target}: No such file or directory\n`);
          return 1;
        }
        current = { ...current, stdin: data };
        continue;
      }
      current = this.fileRedirect(current, fd, target, op === '>>', false);
    }
    return current;
  }

  private fileRedirect(io: ShellIo, fd: number, target: string, append: boolean, both: boolean): ShellIo {
    const path = DeviceState.resolvePath(this.cwd, target);
    if (!append) this.device.writeFile(path, Buffer.alloc(0), false);
    const writer: Output = (data) => this.device.writeFile(path, toBuffer(data), true);
    if (both) return { ...io, stdout: writer, stderr: writer };
    return setFd(io, fd, writer);
  }

  private async expandSegments(word: Word, io: ShellIo): Promise<Segment[]> {
    const segments: Segment[] = [];
    for (const part of word.parts) {
      if (part.kind === 'text') {
        segments.push({ text: part.value, split: false, quoted: part.quoted });
      } else if (part.kind === 'param') {
        segments.push({ text: this.parameter(part.name), split: !part.quoted, quoted: part.quoted });
      } else {
        const captured: Buffer[] = [];
        const substIo: ShellIo = { stdin: Buffer.alloc(0), stdout: (data) => captured.push(toBuffer(data)), stderr: io.stderr };
        const savedVars = new Map(this.vars);
        const savedCwd = this.cwd;
        let status: number;
        try {
          status = await this.runList(part.list, substIo);
        } catch (error) {
          if (!(error instanceof ExitSignal)) throw error;
          status = error.code;
        } finally {
          this.vars.clear();
          for (const [key, value] of savedVars) this.vars.set(key, value);
          this.cwd = savedCwd;
        }
        this.lastSubstStatus = status;
        segments.push({ text: Buffer.concat(captured).toString('utf8').replace(/\n+$/, ''), split: !part.quoted, quoted: part.quoted });
      }
    }
    return segments;
  }

  /** Expansion plus field splitting (no globbing: patterns stay literal). */
  async expandWord(word: Word, io: ShellIo): Promise<string[]> {
    const fields: string[] = [];
    let current = '';
    let started = false;
    for (const segment of await this.expandSegments(word, io)) {
      if (!segment.split) {
        current += segment.text;
        if (segment.quoted || segment.text !== '') started = true;
        continue;
      }
      for (const c of segment.text) {
        if (IFS.has(c)) {
          if (started) fields.push(current);
          current = '';
          started = false;
        } else {
          current += c;
          started = true;
        }
      }
    }
    if (started) fields.push(current);
    return fields;
  }

  async expandWordNoSplit(word: Word, io: ShellIo): Promise<string> {
    return (await this.expandSegments(word, io)).map((segment) => segment.text).join('');
  }

  private parameter(name: string): string {
    switch (name) {
      case '?':
        return String(this.lastStatus);
      case '$':
        return '4242';
      case '#':
        return '0';
      case '0':
        return SHELL_NAME;
      case '!':
      case '@':
      case '*':
      case '-':
        return '';
      default:
        return this.vars.get(name) ?? '';
    }
  }
}

function setFd(io: ShellIo, fd: number, output: Output): ShellIo {
  if (fd === 1) return { ...io, stdout: output };
  if (fd === 2) return { ...io, stderr: output };
  return io;
}
