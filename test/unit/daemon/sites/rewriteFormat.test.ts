import * as assert from 'node:assert/strict';
import { DEFAULT_REWRITE_FORMAT, applyRewriteFormat } from '../../../../daemon/sites/rewriteFormat';

describe('rewriteFormat', () => {
  it('applies the default Divio format', () => {
    assert.equal(applyRewriteFormat(DEFAULT_REWRITE_FORMAT, 'shop'), 'shop.divio.me');
  });

  it('fills {} and {0} and keeps {{ }} escapes', () => {
    assert.equal(applyRewriteFormat('{0}-{0}.test', 'a'), 'a-a.test');
    assert.equal(applyRewriteFormat('{{x}}.{}', 'a'), '{x}.a');
  });

  it('rejects fields Python could not fill with the slug', () => {
    assert.throws(() => applyRewriteFormat('{name}.x', 'a'), /field/);
    assert.throws(() => applyRewriteFormat('a}b', 'a'), /single "}"/);
    assert.throws(() => applyRewriteFormat('{}-{}', 'a'), /more than one/);
    assert.throws(() => applyRewriteFormat('{0}-{}', 'a'), /mixes/);
  });
});
