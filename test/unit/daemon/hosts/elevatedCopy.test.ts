/** The administrator prompt: the fixed command it runs, and what its failures are called. */
import * as assert from 'node:assert/strict';
import { elevatedCopyCommand, elevationFailure } from '../../../../daemon/hosts/elevatedCopy';
import { asClause } from '../../../../daemon/base/sentence';

describe('elevated copy command', () => {
  it('is a fixed command on plain absolute paths, and refuses anything a shell could read differently', () => {
    assert.equal(
      elevatedCopyCommand('/home/u/.local/state/x/h.new', '/etc/hosts', '/home/u/.local/state/x'),
      '/bin/cp -- "/home/u/.local/state/x/h.new" "/etc/hosts"',
    );
    for (const bad of ['/tmp/a b', '/tmp/$(id)', '/tmp/`id`', '/tmp/a"b', 'relative/hosts', '/tmp/../etc/shadow', '/tmp/a\\b']) {
      assert.throws(() => elevatedCopyCommand('/tmp/staged', bad, '/tmp'), /cannot be passed to an administrator prompt safely/, bad);
      assert.throws(() => elevatedCopyCommand(bad, '/etc/hosts', '/tmp'), /cannot be passed/, bad);
      assert.throws(() => elevatedCopyCommand('/tmp/staged', '/etc/hosts', bad), /cannot be passed/, bad);
    }
  });
});

describe('elevation failures', () => {
  it('say what sudo-prompt reported in one sentence (no "kdesudo.; ")', () => {
    const missing = elevationFailure(new Error('Unable to find pkexec or kdesudo.'));
    assert.equal(
      `${asClause(missing.message)}; the hosts file is unchanged.`,
      'The administrator prompt failed: Unable to find pkexec or kdesudo; the hosts file is unchanged.',
    );
    const dismissed = elevationFailure(new Error('User did not grant permission.'));
    assert.equal(dismissed.message, 'The administrator prompt was cancelled');
  });
});
