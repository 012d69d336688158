import * as assert from 'node:assert/strict';
import { BadHostName, DamagedBlock, applyBlock, blockId, damageSentence, listBlocks, removeBlock, removeBlocks } from '../../../../daemon/hosts/hostsBlock';
import { foreignEntries } from '../../../../daemon/hosts/foreignEntries';
import type { HostsBlock } from '../../../../daemon/hosts/hostsBlock';
import { legacyCreatedFile } from '../../../support/legacyHostsBlock';

const ROOT = '/home/dev/my site';
const block: HostsBlock = { id: blockId('/home/dev/.local/state/multisite-local', ROOT), root: ROOT, names: ['alpha.example', 'www.alpha.example'] };
const other: HostsBlock = { id: blockId('/home/dev/.local/state/multisite-local', '/other'), root: '/other', names: ['beta.example'] };

describe('hosts file blocks', () => {
  it('appends a marked block, one name per line for IPv4 and IPv6 (golden)', () => {
    const original = '127.0.0.1\tlocalhost\n::1\tlocalhost\n';
    assert.equal(
      applyBlock(original, block),
      original +
        `# >>> multisite-local ${block.id} /home/dev/my site >>>\n` +
        '127.0.0.1\talpha.example\n::1\talpha.example\n127.0.0.1\twww.alpha.example\n::1\twww.alpha.example\n' +
        `# <<< multisite-local ${block.id} <<<\n`,
    );
  });

  it('keeps CRLF, a BOM and a missing final newline, and removal restores the exact bytes (golden)', () => {
    const original = '\uFEFF# Windows hosts\r\n127.0.0.1 localhost';
    const applied = applyBlock(original, block);
    assert.equal(
      applied,
      '\uFEFF# Windows hosts\r\n127.0.0.1 localhost\r\n' +
        `# >>> multisite-local ${block.id}+crlf /home/dev/my site >>>\r\n` +
        '127.0.0.1\talpha.example\r\n::1\talpha.example\r\n127.0.0.1\twww.alpha.example\r\n::1\twww.alpha.example\r\n' +
        `# <<< multisite-local ${block.id} <<<\r\n`,
    );
    assert.equal(removeBlock(applied, block.id), original);
  });

  it("rewrites its block in place, leaving other tools' blocks and later lines alone", () => {
    const original = '127.0.0.1 localhost\n# BEGIN docker\n10.0.0.2 db\n# END docker\n';
    const first = applyBlock(original, block) + '# added later by the user\n192.168.1.5 printer\n';
    const again = applyBlock(first, { ...block, names: ['alpha.example'] });
    assert.equal(removeBlock(again, block.id), original + '# added later by the user\n192.168.1.5 printer\n');
    assert.deepEqual(listBlocks(again), [{ id: block.id, root: ROOT, names: ['alpha.example'], line: 5 }]);
  });

  it('never joins lines when the user appended after a block that added a newline', () => {
    const original = '127.0.0.1 localhost';
    const withUserLine = applyBlock(original, block) + '10.0.0.9 nas\n';
    assert.equal(removeBlock(withUserLine, block.id), '127.0.0.1 localhost\n10.0.0.9 nas\n');
  });

  it("removes every project's block at once (cleanup)", () => {
    const original = '127.0.0.1 localhost\n';
    const both = applyBlock(applyBlock(original, block), other);
    assert.equal(listBlocks(both).length, 2);
    assert.deepEqual(removeBlocks(both, null), { text: original, damaged: [] });
  });

  it('lists each block with the line of its begin marker (CRLF or not)', () => {
    for (const eol of ['\n', '\r\n']) {
      const original = ['# hosts', '127.0.0.1 localhost', ''].join(eol);
      const both = applyBlock(applyBlock(original, block), other);
      assert.deepEqual(
        listBlocks(both).map((b) => [b.id, b.line]),
        [
          [block.id, 3],
          [other.id, 9],
        ],
      );
    }
  });

  it('refuses names that could break or inject into the file, naming the name', () => {
    for (const bad of ['a b.example', 'x\n127.0.0.1 evil.example', 'a#b.example', '$(id).example', 'Alpha.example', 'bücher.example']) {
      assert.throws(
        () => applyBlock('', { ...block, names: [bad] }),
        (e: Error) => e instanceof BadHostName && e.message.includes(JSON.stringify(bad)),
      );
    }
  });

  it("reports the user's own lines for the same names without touching them", async () => {
    const text = applyBlock('127.0.0.1 localhost\n10.1.1.1  Alpha.example other # mine\n', block);
    assert.deepEqual(await foreignEntries(text, block.names), [{ line: 2, name: 'alpha.example', text: '10.1.1.1  Alpha.example other # mine' }]);
  });

  it('refuses to touch a block whose end line is gone, naming the line, and leaves every line where it is', () => {
    const applied = applyBlock('127.0.0.1 localhost\n', block);
    const damaged = applied.replace(`# <<< multisite-local ${block.id} <<<\n`, '') + '10.0.0.5\tnas.lan\n127.0.0.1\tprinter.lan\n';
    for (const change of [() => applyBlock(damaged, block), () => removeBlock(damaged, block.id)]) {
      assert.throws(
        change,
        (e: Error) =>
          e instanceof DamagedBlock &&
          e.message === `line 2 ("# >>> multisite-local ${block.id} /home/dev/my site >>>") starts a block of ours whose end line is missing`,
      );
    }
    const cleanup = removeBlocks(damaged, null);
    assert.equal(cleanup.text, damaged, 'cleanup leaves it too');
    assert.match(
      damageSentence('/etc/hosts', cleanup.damaged[0]),
      /^\/etc\/hosts line 2 \(.*\) starts a block of ours whose end line is missing, so that block was left as it is: delete its lines by hand/,
    );
  });

  it('refuses an end line without its start, and a block repeated, but removes the blocks that are whole', () => {
    const both = applyBlock(applyBlock('127.0.0.1 localhost\n', block), other);
    const noStart = both.replace(/^# >>> multisite-local [0-9a-f]+ \/home\/dev\/my site >>>\n/m, '');
    assert.throws(
      () => removeBlock(noStart, block.id),
      (e: Error) => e instanceof DamagedBlock && /^line 6 \(.*\) ends a block of ours whose start line is missing$/.test(e.message),
    );
    const removal = removeBlocks(noStart, null);
    assert.equal(
      removal.text,
      noStart.replace(/# >>> multisite-local [0-9a-f]+ \/other >>>\n[^#]*# <<< multisite-local [0-9a-f]+ <<<\n/, ''),
      "the other project's whole block goes",
    );
    assert.equal(removal.damaged.length, 1);
    const twice = both + both.slice(both.indexOf('# >>>'));
    assert.throws(() => applyBlock(twice, block), /starts a second copy of a block of ours/);
  });

  it("keeps the user's empty line when it ends up just above a block that completed the file's last line", () => {
    // The file ended without a line ending, so the block added one; then the user deleted their last line.
    const applied = applyBlock('127.0.0.1 localhost\n\nlast line', block);
    const edited = applied.replace('last line\n', '');
    assert.equal(removeBlock(edited, block.id), '127.0.0.1 localhost\n\n');
  });

  it("never passes the file's end mark on to a marker that makes no block (it is someone else's line)", () => {
    const stale = '# >>> multisite-local deadbeef /gone >>>\n';
    assert.equal(removeBlock(legacyCreatedFile(block) + stale, block.id), stale);
    assert.equal(removeBlock(applyBlock('x', block) + stale, block.id), `x\n${stale}`);
  });

  it("applies twice as once when the last line ended in a lone CR (the CR stays the line's own: the block adds a whole CRLF)", () => {
    const once = applyBlock('127.0.0.1 localhost\r', block);
    assert.ok(once.startsWith(`127.0.0.1 localhost\r\r\n# >>> multisite-local ${block.id}+crlf `));
    assert.equal(applyBlock(once, block), once);
    assert.equal(removeBlock(once, block.id), '127.0.0.1 localhost\r');
  });

  it('never turns a last line ending in a lone CR into a marker of ours by completing it', () => {
    // A copy of our end marker ending in a lone CR is no marker; an LF after it would make it one, and damage the block we append.
    const original = `127.0.0.1 localhost\n# <<< multisite-local ${block.id} <<<\r`;
    const once = applyBlock(original, block);
    assert.equal(applyBlock(once, block), once);
    assert.equal(removeBlock(once, block.id), original);
  });

  it("never takes the LF of the user's CRLF line for the one the block added (fuzzer counterexample, seed 392163142)", () => {
    const home = '/tmp/other-home';
    const c: HostsBlock = { id: blockId(home, '/home/dev/bête projet'), root: '/home/dev/bête projet', names: ['c.test'] };
    const alpha: HostsBlock = { id: blockId(home, '/srv/alpha'), root: '/srv/alpha', names: ['c.test'] };
    const original = '\xef\xbb\xbf'; // a BOM alone, without a final newline: c's block adds one (+lf)
    const applied = applyBlock(original, c);
    assert.ok(applied.startsWith(`${original}\n# >>> multisite-local ${c.id}+lf `));
    // The user pastes a copy of alpha's end marker, with CRLF, between the line the block completed and the block.
    const stray = `# <<< multisite-local ${alpha.id} <<<\r\n`;
    const edited = `${original}\n${stray}${applied.slice(original.length + 1)}`;
    const removed = removeBlock(edited, c.id);
    assert.equal(removed, `${original}\n${stray}`, "the user's line keeps its CRLF");
    assert.throws(
      () => applyBlock(removed, alpha),
      (error) => error instanceof DamagedBlock && error.damage.line === 2,
    );
  });

  it('counts as ours only the pairs of lines it writes: a lone "127.0.0.1<TAB>name" inside the block is kept', () => {
    const applied = applyBlock('', block).replace('::1\talpha.example\n', '::1\talpha.example\n127.0.0.1\tmine.lan\n');
    assert.equal(removeBlock(applied, block.id), '127.0.0.1\tmine.lan\n');
  });
});
