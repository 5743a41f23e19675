/**
 * Wraps a pure function of one argument so that a call with the same argument as the previous call returns
 * the previous result without running it again. For per-request work on a value that is almost always the
 * same (every request of a model has the same URL); one entry, so nothing grows.
 */
export function memoLast<A, R>(fn: (arg: A) => R): (arg: A) => R {
  let has = false;
  let lastArg: A | undefined;
  let lastResult: R | undefined;
  return (arg) => {
    if (has && arg === lastArg) return lastResult as R;
    const result = fn(arg);
    has = true;
    lastArg = arg;
    lastResult = result;
    return result;
  };
}
