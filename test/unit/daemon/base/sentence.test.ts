/** Sentences built from other messages: ended once, embedded as clauses, cut to their first sentence. */
import * as assert from 'node:assert/strict';
import { asClause, endSentence, firstSentence, lastLine } from '../../../../daemon/base/sentence';

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
});

describe('lastLine', () => {
  it('is the last line that says anything, or null', () => {
    assert.equal(lastLine('Traceback\r\n  File x\r\nImportError: no django\r\n\n  \n'), 'ImportError: no django');
    assert.equal(lastLine('  \n'), null);
  });
});
