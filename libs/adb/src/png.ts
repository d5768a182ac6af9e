export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** the signature after a pty turned every \n into \r\n (shell v1 on Android before 7) */
const PTY_MANGLED_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0d, 0x0a, 0x1a, 0x0d, 0x0a]);

export function isPng(data: Buffer): boolean {
  return data.length >= PNG_SIGNATURE.length && data.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE);
}

/** Undoes a pty's \n → \r\n translation, which only ever shows when the PNG signature carries it. */
export function repairPtyNewlines(data: Buffer): Buffer {
  if (data.length < PTY_MANGLED_SIGNATURE.length || !data.subarray(0, PTY_MANGLED_SIGNATURE.length).equals(PTY_MANGLED_SIGNATURE)) return data;
  const out = Buffer.allocUnsafe(data.length);
  let length = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x0d && data[i + 1] === 0x0a) continue;
    out[length++] = data[i];
  }
  return out.subarray(0, length);
}
