#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { streamChat } from './chat';
import { CliError, readCliConfig } from './gateway';
import { essentialFailure, fetchStatus, renderStatus } from './status';
import { runTop } from './top';

const USAGE = `Usage: ish <command> [options]

Commands:
  status [--watch]              services, instances, devices and queue depths of an ISH Chat system
  top                           live dashboard: request rate, errors, latency charts, instances, queues, spend (q quits)
  chat "<message>" [--model m]  stream a reply (model defaults to auto)

Environment:
  ISH_API_KEY       an API key (required)
  ISH_GATEWAY_URL   the gateway (default http://127.0.0.1:8080)
`;

const WATCH_INTERVAL_MS = 2000;
// ANSI: clear the screen and move the cursor home
const CLEAR_SCREEN = '\x1b[2J\x1b[H';

async function status(watch: boolean): Promise<void> {
  const config = readCliConfig(process.env);
  if (!watch) {
    const data = await fetchStatus(config);
    const failure = essentialFailure(data);
    if (failure) throw new CliError(failure);
    process.stdout.write(renderStatus(data));
    return;
  }
  for (;;) {
    const data = await fetchStatus(config);
    process.stdout.write(CLEAR_SCREEN + renderStatus(data) + `\nrefreshing every ${WATCH_INTERVAL_MS / 1000} s · Ctrl-C to stop\n`);
    await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
  }
}

async function chat(words: string[], model: string): Promise<void> {
  const message = words.join(' ').trim();
  if (!message) throw new UsageError('chat needs a message: ish chat "hello"');
  const config = readCliConfig(process.env);
  await streamChat(config, message, model, (text) => process.stdout.write(text));
  process.stdout.write('\n');
}

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { watch: { type: 'boolean', short: 'w', default: false }, model: { type: 'string', short: 'm', default: 'auto' }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help || !command) {
    process.stdout.write(USAGE);
    return command || parsed.values.help ? 0 : 2;
  }
  if (command === 'status') {
    if (rest.length) throw new UsageError(`status takes no arguments, got: ${rest.join(' ')}`);
    await status(parsed.values.watch);
  } else if (command === 'top') {
    if (rest.length) throw new UsageError(`top takes no arguments, got: ${rest.join(' ')}`);
    await runTop(readCliConfig(process.env), { stdin: process.stdin, stdout: process.stdout }, WATCH_INTERVAL_MS);
  } else if (command === 'chat') {
    await chat(rest, parsed.values.model);
  } else {
    throw new UsageError(`unknown command: ${command}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`ish: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof CliError) {
      process.stderr.write(`ish: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`ish: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
