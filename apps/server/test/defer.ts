/** Registers a clean-up for the current test (tests run concurrently: no shared list). */
export type Defer = (fn: () => Promise<unknown> | unknown) => void;

/**
 * A test's `defer`: its clean-ups run when it finishes, the last registered first (phones before
 * the switch they talk to); one failing does not keep the others from running.
 */
export function deferrer(onTestFinished: (fn: () => Promise<void>) => void): Defer {
  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  onTestFinished(async () => {
    const errors: unknown[] = [];
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  });
  return (fn) => {
    cleanups.push(fn);
  };
}
