import { EXIT_MARKER, splitExitStatus, withExitStatus } from './exit-status';

const split = (text: string | Buffer) => {
  const { stdout, exitCode } = splitExitStatus(Buffer.isBuffer(text) ? text : Buffer.from(text));
  return { stdout: stdout.toString('latin1'), exitCode };
};

describe('exit status trailer', () => {
  it('appends a trailer that echoes $?', () => {
    expect(withExitStatus(`'ls' '/'`)).toBe(`'ls' '/'; echo "${EXIT_MARKER}$?"`);
  });

  it('cuts the trailer and reads the status', () => {
    expect(split(`hello\n${EXIT_MARKER}0\n`)).toEqual({ stdout: 'hello\n', exitCode: 0 });
    expect(split(`${EXIT_MARKER}127\n`)).toEqual({ stdout: '', exitCode: 127 });
    expect(split(`err\r\n${EXIT_MARKER}3\r\n`)).toEqual({ stdout: 'err\r\n', exitCode: 3 });
  });

  it('keeps output that does not end in a newline', () => {
    expect(split(`no newline${EXIT_MARKER}1\n`)).toEqual({ stdout: 'no newline', exitCode: 1 });
  });

  it('uses only the marker at the very end', () => {
    expect(split(`${EXIT_MARKER}0\nfake\n${EXIT_MARKER}2\n`)).toEqual({ stdout: `${EXIT_MARKER}0\nfake\n`, exitCode: 2 });
    expect(split(`${EXIT_MARKER}0\nmore output`)).toEqual({ stdout: `${EXIT_MARKER}0\nmore output`, exitCode: null });
  });

  it('reports no status when the shell ended early', () => {
    expect(split('partial')).toEqual({ stdout: 'partial', exitCode: null });
    expect(split('')).toEqual({ stdout: '', exitCode: null });
  });

  it('keeps binary output byte for byte', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe]);
    const { stdout, exitCode } = splitExitStatus(Buffer.concat([png, Buffer.from(`${EXIT_MARKER}0\n`)]));
    expect(exitCode).toBe(0);
    expect(stdout.equals(png)).toBe(true);
  });

  it('keeps multi-byte text intact', () => {
    const { stdout } = splitExitStatus(Buffer.from(`ünïcødé ✓\n${EXIT_MARKER}0\n`));
    expect(stdout.toString('utf8')).toBe('ünïcødé ✓\n');
  });
});
