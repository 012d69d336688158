import * as assert from 'node:assert/strict';
import { recoverAll } from '../../../../daemon/journal/recoverable';
import type { Recoverable, Recovery } from '../../../../daemon/journal/recoverable';

describe('recoverAll', () => {
  it('runs every journal in order, logging what was undone and what was not, past one that throws', async () => {
    const order: string[] = [];
    const journal = (name: string, outcome: () => Promise<Recovery>): Recoverable => ({
      recover: () => {
        order.push(name);
        return outcome();
      },
    });
    const log: string[] = [];
    const all = await recoverAll(
      [
        journal('servers', () => Promise.resolve({ done: ['stopped group 12'], failures: [], undone: [{ kind: 'server', path: '/p' }] })),
        journal('hosts', () => Promise.reject(new Error('the hosts journal is unreadable'))),
        journal('compose', () => Promise.resolve({ done: [], failures: ['the service in /p did not stop'], undone: [] })),
      ],
      (text) => log.push(text),
    );
    assert.deepEqual(order, ['servers', 'hosts', 'compose']);
    assert.deepEqual(log, ['stopped group 12', 'could not undo a journal: the hosts journal is unreadable', 'could not undo: the service in /p did not stop']);
    // All of it together, for the report the first client shows.
    assert.deepEqual(all, {
      done: ['stopped group 12'],
      failures: ['A journal of the daemon could not be read or undone: the hosts journal is unreadable', 'the service in /p did not stop'],
      undone: [{ kind: 'server', path: '/p' }],
    });
  });
});
