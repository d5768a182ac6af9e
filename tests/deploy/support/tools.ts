import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { REPO_ROOT } from '@ish/test-support';

/** Runs a command; returns stdout and stderr together, throws with both when it exits non-zero. */
export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', env: options.env ?? process.env, cwd: options.cwd ?? REPO_ROOT, input: options.input, timeout: 120_000 });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${output}`);
  return output;
}

/** The path of `binary`, installing Debian package `pkg` first when it is missing (tools/ensure-apt.sh). */
export function ensureAptBinary(binary: string, pkg: string): string {
  run('bash', [resolve(REPO_ROOT, 'tools/ensure-apt.sh'), binary, pkg]);
  return run('bash', ['-c', `command -v ${binary}`]).trim();
}

/** Whether `binary` is on PATH. */
export function hasBinary(binary: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${binary}`]).status === 0;
}
