const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** The body is not the JSON object it was parsed as: nothing is rewritten. */
class Malformed extends Error {}

/**
 * A JSON object's bytes with the top-level field `key` set to the string `value`, every other byte as it
 * came (whitespace, escapes, key order, number spelling): the pass-through rewrites only `model`. It works on
 * bytes, where every structural character is ASCII and never part of a UTF-8 sequence. A body that is not
 * an object, or lacks the field, comes back unchanged; a field given twice is set in both places.
 */
export function withTopLevelString(raw: Buffer, key: string, value: string): Buffer {
  let spans: Array<[number, number]>;
  try {
    spans = topLevelValueSpans(raw, key);
  } catch (error) {
    if (error instanceof Malformed) return raw;
    throw error;
  }
  if (spans.length === 0) return raw;
  const replacement = Buffer.from(JSON.stringify(value), 'utf8');
  const parts: Buffer[] = [];
  let at = 0;
  for (const [start, end] of spans) {
    parts.push(raw.subarray(at, start), replacement);
    at = end;
  }
  parts.push(raw.subarray(at));
  return Buffer.concat(parts);
}

function topLevelValueSpans(raw: Buffer, key: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let i = skipSpace(raw, 0);
  expect(raw, i, OPEN_BRACE);
  i = skipSpace(raw, i + 1);
  if (raw[i] === CLOSE_BRACE) return spans;
  for (;;) {
    expect(raw, i, QUOTE);
    const keyEnd = stringEnd(raw, i);
    // the key as JSON reads it (`"\u006dodel"` is `model`)
    const name = JSON.parse(raw.toString('utf8', i, keyEnd)) as string;
    i = skipSpace(raw, keyEnd);
    expect(raw, i, COLON);
    const start = skipSpace(raw, i + 1);
    const end = valueEnd(raw, start);
    if (name === key) spans.push([start, end]);
    i = skipSpace(raw, end);
    if (raw[i] === CLOSE_BRACE) return spans;
    expect(raw, i, COMMA);
    i = skipSpace(raw, i + 1);
  }
}

function expect(raw: Buffer, i: number, byte: number): void {
  if (raw[i] !== byte) throw new Malformed();
}

function skipSpace(raw: Buffer, i: number): number {
  while (raw[i] === 0x20 || raw[i] === 0x0a || raw[i] === 0x0d || raw[i] === 0x09) i++;
  return i;
}

/** The index after the closing quote of the string starting at `i`. */
function stringEnd(raw: Buffer, i: number): number {
  for (let j = i + 1; j < raw.length; j++) {
    if (raw[j] === BACKSLASH) j++;
    else if (raw[j] === QUOTE) return j + 1;
  }
  throw new Malformed();
}

/** The index after the value starting at `i` (string, object, array, number or literal). */
function valueEnd(raw: Buffer, i: number): number {
  const first = raw[i];
  if (first === QUOTE) return stringEnd(raw, i);
  if (first === OPEN_BRACE || first === OPEN_BRACKET) {
    let depth = 0;
    for (let j = i; j < raw.length; ) {
      const byte = raw[j];
      if (byte === QUOTE) {
        j = stringEnd(raw, j);
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
      j++;
      if (depth === 0) return j;
    }
    throw new Malformed();
  }
  let j = i;
  while (j < raw.length && raw[j] !== COMMA && raw[j] !== CLOSE_BRACE && raw[j] !== CLOSE_BRACKET && skipSpace(raw, j) === j) j++;
  if (j === i) throw new Malformed();
  return j;
}
