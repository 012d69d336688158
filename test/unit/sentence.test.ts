import * as assert from 'node:assert/strict';
import { elevationFailure } from '../../daemon/hosts/elevatedCopy';
import { parsePortArgument } from '../../daemon/cli/portArgument';
import { asClause, endSentence, firstSentence } from '../../daemon/sentence';

describe('sentences built from other messages', () => {
  it('end exactly once, whether or not the message had its own period', () => {
    assert.equal(
      endSentence('Serving Beta failed: CommandError: You must set settings.ALLOWED_HOSTS if DEBUG is False.'),
      'Serving Beta failed: CommandError: You must set settings.ALLOWED_HOSTS if DEBUG is False.',
    );
    assert.equal(endSentence('Nothing was written: "a b" is not a host name'), 'Nothing was written: "a b" is not a host name.');
    assert.equal(endSentence('Really?  '), 'Really?');
    assert.equal(endSentence(''), '');
  });

  it('embed a message as a clause without its period', () => {
    assert.equal(
      `${asClause('The administrator prompt was cancelled.')}; the hosts file is unchanged.`,
      'The administrator prompt was cancelled; the hosts file is unchanged.',
    );
    assert.equal(asClause('no period'), 'no period');
  });

  it("take a library's first sentence, not the command and output it repeats", () => {
    assert.equal(firstSentence('Unable to find pkexec or kdesudo.'), 'Unable to find pkexec or kdesudo');
    assert.equal(
      firstSentence('Command failed: /bin/bash -c "/bin/cp -- \\"/a.b\\" \\"/etc/hosts\\""\ncp: cannot create regular file'),
      'Command failed: /bin/bash -c "/bin/cp -- \\"/a.b\\" \\"/etc/hosts\\""',
    );
    assert.equal(firstSentence('First one. Second one.'), 'First one');
  });

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

describe('--port', () => {
  it('accepts plain decimal port numbers only', () => {
    assert.equal(parsePortArgument('8000'), 8000);
    assert.equal(parsePortArgument('1'), 1);
    assert.equal(parsePortArgument('65535'), 65535);
    for (const text of ['0x50', '1e3', '80.0', ' 80', '+80', '-1', '0', '65536', '', '8000abc', '１２３']) {
      assert.equal(parsePortArgument(text), null, JSON.stringify(text));
    }
  });
});
