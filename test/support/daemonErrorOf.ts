/** The DaemonError a promise rejects with, for tests of what a person is told. */
import * as assert from 'node:assert/strict';
import { DaemonError } from '../../daemon/base/daemonError';

/** Resolves with the DaemonError `promise` rejects with; fails when it resolves or rejects with anything else. */
export async function daemonErrorOf(promise: Promise<unknown>): Promise<DaemonError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DaemonError, `not a DaemonError: ${String(error)}`);
    return error;
  }
  assert.fail('it did not fail');
}
