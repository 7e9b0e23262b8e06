// What a function throws, as a value to match with expect: a marker string when it throws nothing, so a
// missing error fails the match instead of passing by accident.
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return 'nothing was thrown';
}

/** The stable code a promise is refused with, or 'ok' when it resolves: one value for expect either way. */
export function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: { code?: unknown }) => String(e.code),
  );
}
