import { isPng, PNG_SIGNATURE, repairPtyNewlines } from './png';

describe('png', () => {
  const png = Buffer.concat([PNG_SIGNATURE, Buffer.from([0x00, 0x0a, 0x0d, 0x0a, 0x41, 0x0d])]);

  it('recognises the PNG signature', () => {
    expect(isPng(png)).toBe(true);
    expect(isPng(Buffer.from('not a png at all'))).toBe(false);
    expect(isPng(Buffer.alloc(3))).toBe(false);
  });

  it('leaves a clean PNG alone', () => {
    expect(repairPtyNewlines(png)).toBe(png);
  });

  it('undoes a pty newline translation', () => {
    const mangled = Buffer.from(png.toString('latin1').replace(/\n/g, '\r\n'), 'latin1');
    expect(isPng(mangled)).toBe(false);
    expect(repairPtyNewlines(mangled).equals(png)).toBe(true);
  });
});
