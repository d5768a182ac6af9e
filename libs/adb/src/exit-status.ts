/**
 * adbkit speaks shell protocol v1, which carries no exit status: the command line gets a trailer that
 * prints it, and the trailer is cut off the output again. Only the LAST marker at the very end counts,
 * so output that happens to contain the marker cannot fake a status.
 */
export const EXIT_MARKER = '__ISH_EXIT__';

const TRAILER = new RegExp(`${EXIT_MARKER}(\\d{1,3})\\r?\\n?$`);
/** the trailer never needs more than this many bytes at the end */
export const EXIT_TRAILER_MAX_BYTES = EXIT_MARKER.length + 5;

export function withExitStatus(commandLine: string): string {
  return `${commandLine}; echo "${EXIT_MARKER}$?"`;
}

export interface SplitOutput {
  stdout: Buffer;
  /** null when the trailer is missing: the shell ended before printing it */
  exitCode: number | null;
}

export function splitExitStatus(output: Buffer): SplitOutput {
  const tailStart = Math.max(0, output.length - EXIT_TRAILER_MAX_BYTES);
  // latin1 maps bytes 1:1 to characters, so the match index is a byte offset
  const match = TRAILER.exec(output.subarray(tailStart).toString('latin1'));
  if (!match) return { stdout: output, exitCode: null };
  return { stdout: output.subarray(0, tailStart + match.index), exitCode: Number(match[1]) };
}
