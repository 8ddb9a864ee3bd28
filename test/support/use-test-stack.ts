import { after, before } from 'node:test';
import { startTestStack, type StackOptions, type TestStack } from './stack';

export interface StackHooks {
  /**
   * Setup that needs the running stack. A file's own `before` can't wait for it: node:test starts
   * a file's top-level `before` hooks side by side.
   */
  started?: (stack: TestStack) => Promise<void> | void;
  /** Runs before the stack closes: for what still uses its database or API. */
  closing?: () => Promise<unknown> | void;
}

/**
 * The test stack for one file (or one `describe`): started in a `before` hook, closed in an
 * `after` hook. What it returns stands in for the stack `before` starts, so call sites read
 * `stack.api.url` with strict types; reading it before the hook ran (at a file's top level) throws.
 */
export function useTestStack({
  started: onStarted,
  closing,
  ...options
}: StackOptions & StackHooks = {}): TestStack {
  let started: TestStack | undefined;
  before(async () => {
    started = await startTestStack(options);
    await onStarted?.(started);
  });
  after(async () => {
    if (!started) return;
    await closing?.();
    await started.close();
  });
  const current = (property: PropertyKey): TestStack => {
    if (!started)
      throw new Error(`the test stack was read (${String(property)}) before its before() hook ran`);
    return started;
  };
  return new Proxy({} as TestStack, {
    // `await` and `Promise.resolve` probe `then`: the stack is no thenable, started or not.
    get: (_target, property) => (property === 'then' ? undefined : Reflect.get(current(property), property)),
    has: (_target, property) => Reflect.has(current(property), property),
    // for `{ ...stack, api: other }`
    ownKeys: () => Reflect.ownKeys(current('ownKeys')),
    getOwnPropertyDescriptor: (_target, property) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(current(property), property);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
}
