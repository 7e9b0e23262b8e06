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
