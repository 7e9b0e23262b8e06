// I-JSON (RFC 7493) parsing: JSON.parse's grammar, and no object with two members of the same name.
// JSON.parse keeps the last of two equal names; another verifier may keep the first, and would then read
// different content from the same signed bytes. So every signed header and payload, every frame and every
// export line is parsed here and a duplicate is refused, never resolved.
import { HotlineError, type ErrorCode } from './errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The index of the quote that ends the string whose opening quote is at `open`. */
function stringEnd(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  // A quote preceded by an odd run of backslashes is escaped; JSON.parse already proved one closes it.
  for (;;) {
    let slashes = 0;
    while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/**
 * The name of the first member that repeats a name earlier in the same object, or undefined.
 * `text` must be valid JSON (JSON.parse accepted it): the scan then only needs to track strings and
 * nesting. Names are compared decoded, so "to" and "\u0074o" are the same name.
 */
export function duplicateMember(text: string): string | undefined {
  // One entry per open container: the names seen so far for an object, null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectName = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectName) {
        const raw = text.slice(i + 1, end);
        const name = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        const names = stack[stack.length - 1]!;
        if (names.has(name)) return name;
        names.add(name);
        expectName = false;
      }
      i = end;
    } else if (c === OPEN_OBJECT) {
      stack.push(new Set());
      expectName = true;
    } else if (c === OPEN_ARRAY) {
      stack.push(null);
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      expectName = false;
    } else if (c === COMMA) {
      expectName = stack[stack.length - 1] instanceof Set;
    }
  }
  return undefined;
}

/** A text that may hold a surrogate: an escaped one (\uD800-\uDFFF), or one as it is. */
const SURROGATE_HINT = /\\u[dD][89abcdefABCDEF]|[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether any string of a parsed value, member names included, holds an unpaired surrogate. */
function holdsLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return LONE_SURROGATE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(holdsLoneSurrogate);
  return Object.entries(value).some(([name, v]) => LONE_SURROGATE.test(name) || holdsLoneSurrogate(v));
}

/**
 * What keeps JSON text that JSON.parse accepted (as `value`) from being I-JSON (RFC 7493): a member
 * name repeated in one object, or a string that is not Unicode (an unpaired surrogate). Undefined when
 * it is I-JSON. Texts without a surrogate, which are nearly all, are not walked.
 */
export function iJsonViolation(text: string, value: unknown): { why: string; duplicate?: string } | undefined {
  // Only an object can hold a duplicate.
  if (typeof value === 'object' && value !== null) {
    const duplicate = duplicateMember(text);
    if (duplicate !== undefined) return { why: `has the member ${JSON.stringify(duplicate)} twice`, duplicate };
  }
  if (SURROGATE_HINT.test(text) && holdsLoneSurrogate(value)) return { why: 'holds an unpaired surrogate' };
  return undefined;
}

/**
 * Parses I-JSON text. Anything else (not JSON, a repeated member name, an unpaired surrogate) throws a
 * HotlineError with `code`; details.duplicate names a repeated member.
 */
export function parseStrictJson(text: string, code: ErrorCode, what: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HotlineError(code, `${what} is not JSON.`);
  }
  const violation = iJsonViolation(text, value);
  if (violation) {
    const details = violation.duplicate === undefined ? {} : { duplicate: violation.duplicate };
    throw new HotlineError(code, `${what} ${violation.why} (RFC 7493 I-JSON).`, details);
  }
  return value;
}
