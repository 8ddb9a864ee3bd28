import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ProviderError, type ProviderErrorKind } from '../../src/providers/provider-error';

/** Asserts that no secret appears in an error: its message, its properties, its inspect and JSON forms. */
export function assertNoSecrets(error: unknown, secrets: string[]): void {
  const views = [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error)];
  for (const secret of secrets) {
    for (const view of views) assert.ok(!view.includes(secret), `a secret leaked into ${view.slice(0, 200)}`);
  }
}

/**
 * Awaits a rejection and checks that it is a ProviderError of the given kind (and fields), carrying
 * none of the secrets. Returns the error for further checks.
 */
export async function expectProviderError(
  work: Promise<unknown>,
  expected: { kind: ProviderErrorKind; status?: number; code?: string | number; dailyLimit?: boolean },
  secrets: string[] = [],
): Promise<ProviderError> {
  const error = await work.then(
    () => assert.fail('expected a ProviderError, but the call succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ProviderError, `not a ProviderError: ${String(error)}`);
  const actual = {
    kind: error.kind,
    ...('status' in expected && { status: error.status }),
    ...('code' in expected && { code: error.code }),
    ...('dailyLimit' in expected && { dailyLimit: error.dailyLimit }),
  };
  assert.deepEqual(actual, expected, error.message);
  assertNoSecrets(error, secrets);
  return error;
}
