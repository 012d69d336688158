/** The proxies' connection budget, derived from the process's descriptor limit (issue 21). */
import * as assert from 'node:assert/strict';
import { ConnectionBudget, connectionCap, openFileLimit } from '../../../../daemon/proxy/connectionBudget';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max processes             127563               127563               processes
Max open files            400                  4096                 files
Max locked memory         8388608              8388608              bytes
`;

describe('the proxies’ connection budget', () => {
  it('reads the soft limit on open files, and knows when it cannot', () => {
    assert.equal(
      openFileLimit(() => LIMITS),
      400,
    );
    assert.equal(
      openFileLimit(() => LIMITS.replace('400    ', 'unlimited')),
      Infinity,
    );
    assert.equal(
      openFileLimit(() => 'nothing here'),
      null,
    );
    assert.equal(
      openFileLimit(() => {
        throw new Error('ENOENT');
      }),
      null,
    );
    // This process's own, on Linux.
    if (process.platform === 'linux') assert.ok((openFileLimit() ?? 0) > 0);
  });

  it('leaves a reserve and counts two descriptors a connection, within sane bounds', () => {
    assert.equal(connectionCap(400), 150); // (400 - 100) / 2
    assert.equal(connectionCap(1024), 410); // (1024 - 204) / 2
    assert.equal(connectionCap(1_048_576), 2000);
    assert.equal(connectionCap(Infinity), 2000);
    assert.equal(connectionCap(null), connectionCap(1024));
    assert.equal(connectionCap(50), 1);
  });

  it('gives out no more than its cap', () => {
    const budget = new ConnectionBudget(2);
    assert.deepEqual([budget.take(), budget.take(), budget.take()], [true, true, false]);
    budget.give();
    assert.equal(budget.take(), true);
    assert.equal(budget.inUse, 2);
  });
});
