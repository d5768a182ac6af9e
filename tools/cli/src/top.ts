import chalk from 'chalk';
import type { StatsView } from '@ish/contracts';
import { CliConfig, GatewayError, getJson } from './gateway';
import { StatsHistory } from './stats-history';
import type { Section } from './status';
import { renderTop } from './top-render';

/** ANSI: the alternate screen with the cursor hidden, and back (the user's scrollback is left as it was). */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[?25l';
export const LEAVE_SCREEN = '\x1b[?25h\x1b[?1049l';
// cursor home; erase to the end of a line; erase below the cursor
const HOME = '\x1b[H';
const ERASE_LINE_END = '\x1b[K';
const ERASE_BELOW = '\x1b[J';
/** keys that quit: q, Q, and Ctrl-C (a raw terminal delivers it as a byte, not as SIGINT) */
const QUIT_KEYS = new Set(['q', 'Q', '\x03']);
/** readings kept for the charts: ten minutes at the default refresh */
const HISTORY_CAPACITY = 300;

export interface TopTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

async function readStats(config: CliConfig, signal: AbortSignal): Promise<Section<StatsView>> {
  try {
    return { ok: true, value: await getJson<StatsView>(config, '/api/v1/stats', { signal }) };
  } catch (error) {
    if (error instanceof GatewayError) return { ok: false, note: error.status === 403 ? 'not shown: this API key lacks the instances:read scope (403)' : error.message };
    throw error;
  }
}

/**
 * `ish top`: GET /api/v1/stats every `intervalMs`, drawn on the alternate screen until q or Ctrl-C
 * (or SIGINT/SIGTERM); the terminal is restored whatever ends it.
 */
export async function runTop(config: CliConfig, terminal: TopTerminal, intervalMs: number): Promise<void> {
  const { stdin, stdout } = terminal;
  // chalk finds the colours the terminal supports (none when stdout is not a terminal, FORCE_COLOR / NO_COLOR honoured)
  const paint = chalk;
  const history = new StatsHistory(HISTORY_CAPACITY);
  let latest: Section<StatsView> = { ok: false, note: 'loading…' };
  let refreshedAt = new Date();

  // quitting aborts a reading in flight and the pause between two, so the terminal comes back at once
  const stop = new AbortController();
  const quit = () => stop.abort();
  const quitting = new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  const onKey = (data: Buffer) => {
    if ([...data.toString('utf8')].some((key) => QUIT_KEYS.has(key))) quit();
  };
  const draw = () => {
    const size = { columns: stdout.columns || 100, rows: stdout.rows || 40 };
    const lines = renderTop({ gatewayUrl: config.gatewayUrl, refreshedAt, intervalMs, latest, history }, size, paint);
    stdout.write(HOME + lines.map((line) => line + ERASE_LINE_END).join('\n') + ERASE_BELOW);
  };

  stdout.write(ENTER_SCREEN);
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.on('data', onKey);
  stdin.resume();
  process.on('SIGINT', quit);
  process.on('SIGTERM', quit);
  stdout.on('resize', draw);
  try {
    draw();
    while (!stop.signal.aborted) {
      // a gateway that hangs shows as an error after a few refreshes' time, not as a frozen screen
      const reading = await readStats(config, AbortSignal.any([stop.signal, AbortSignal.timeout(intervalMs * 5)]));
      if (stop.signal.aborted) break;
      latest = reading;
      refreshedAt = new Date();
      if (latest.ok) history.add(latest.value);
      draw();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise((resolve) => (timer = setTimeout(resolve, intervalMs))), quitting]);
      clearTimeout(timer);
    }
  } finally {
    stdout.off('resize', draw);
    process.off('SIGINT', quit);
    process.off('SIGTERM', quit);
    stdin.off('data', onKey);
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
    stdout.write(LEAVE_SCREEN);
  }
}
