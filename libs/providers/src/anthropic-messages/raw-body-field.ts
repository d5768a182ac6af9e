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
  const replacement = Buffer.from(JSON.stringify(value), 'utf8');
  return splice(raw, key, (member) => ({ start: member.valueStart, end: member.valueEnd, insert: replacement }));
}

/** A JSON object's bytes without the top-level field `key` (our own `drop_params`, which Anthropic would refuse), every other byte as it came. */
export function withoutTopLevel(raw: Buffer, key: string): Buffer {
  // the member and the comma after it; the last member takes the comma before it instead
  return splice(raw, key, (member) => (member.nextStart !== undefined ? { start: member.keyStart, end: member.nextStart } : { start: member.previousEnd ?? member.keyStart, end: member.valueEnd }));
}

interface Member {
  keyStart: number;
  valueStart: number;
  valueEnd: number;
  /** after the value of the member before (where its comma starts); undefined for the first */
  previousEnd?: number;
  /** where the next member's key starts; undefined for the last */
  nextStart?: number;
}

function splice(raw: Buffer, key: string, edit: (member: Member) => { start: number; end: number; insert?: Buffer }): Buffer {
  let members: Member[];
  try {
    members = topLevelMembers(raw, key);
  } catch (error) {
    if (error instanceof Malformed) return raw;
    throw error;
  }
  if (members.length === 0) return raw;
  const parts: Buffer[] = [];
  let at = 0;
  for (const member of members) {
    const { start, end, insert } = edit(member);
    if (start < at) continue;
    parts.push(raw.subarray(at, start));
    if (insert) parts.push(insert);
    at = end;
  }
  parts.push(raw.subarray(at));
  return Buffer.concat(parts);
}

function topLevelMembers(raw: Buffer, key: string): Member[] {
  const members: Member[] = [];
  let i = skipSpace(raw, 0);
  expect(raw, i, OPEN_BRACE);
  i = skipSpace(raw, i + 1);
  if (raw[i] === CLOSE_BRACE) return members;
  let previousEnd: number | undefined;
  let open: Member | undefined;
  for (;;) {
    expect(raw, i, QUOTE);
    if (open) open.nextStart = i;
    open = undefined;
    const keyStart = i;
    const keyEnd = stringEnd(raw, i);
    // the key as JSON reads it (`"\u006dodel"` is `model`)
    const name = JSON.parse(raw.toString('utf8', i, keyEnd)) as string;
    i = skipSpace(raw, keyEnd);
    expect(raw, i, COLON);
    const valueStart = skipSpace(raw, i + 1);
    const end = valueEnd(raw, valueStart);
    if (name === key) members.push((open = { keyStart, valueStart, valueEnd: end, previousEnd }));
    previousEnd = end;
    i = skipSpace(raw, end);
    if (raw[i] === CLOSE_BRACE) return members;
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
