/**
 * The book of the sites' own ports (issue 25): kept in a private file of the
 * daemon's home, read back by the next daemon, a port given to one site never
 * offered to another of any project, a file that is not JSON started again.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SitePortBook } from '../../../../daemon/proxy/sitePortBook';
import { sitePortsOption } from '../../../../cli/envOptions';

describe("the book of the sites' own ports", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'msl-site-ports-'));
  });

  it('remembers a port per site of each project, in a private file the next daemon reads', () => {
    const book = new SitePortBook(home);
    assert.equal(book.remembered('/p/shop', 'alpha'), null);
    book.remember('/p/shop', 'alpha', 8001);
    book.remember('/p/shop', 'beta', 8002);
    book.remember('/p/blog', 'alpha', 8101);
    assert.equal(new SitePortBook(home).remembered('/p/shop', 'alpha'), null, 'not written before the save');
    book.save();
    assert.equal(statSync(book.file).mode & 0o777, 0o600);
    const next = new SitePortBook(home);
    assert.equal(next.remembered('/p/shop', 'beta'), 8002);
    assert.equal(next.remembered('/p/blog', 'alpha'), 8101);
    assert.equal(next.heldByAnother(8002, '/p/shop', 'alpha'), true, "beta's");
    assert.equal(next.heldByAnother(8002, '/p/shop', 'beta'), false, 'its own');
    assert.equal(next.heldByAnother(8001, '/p/blog', 'alpha'), true, "another project's site of the same slug");
    next.forget('/p/shop');
    next.save();
    assert.equal(new SitePortBook(home).remembered('/p/shop', 'alpha'), null);
    assert.equal(new SitePortBook(home).remembered('/p/blog', 'alpha'), 8101);
  });

  it('starts again from a file that is not JSON, or keeps only the ports that are ports', () => {
    writeFileSync(path.join(home, 'site-ports.json'), '{"/p": {"a": 8001, "b": "x", "c": 70000}, "/q": 3}', { mode: 0o600 });
    const book = new SitePortBook(home);
    assert.equal(book.remembered('/p', 'a'), 8001);
    assert.equal(book.remembered('/p', 'b'), null);
    assert.equal(book.remembered('/p', 'c'), null);
    writeFileSync(path.join(home, 'site-ports.json'), '{"/p": ', { mode: 0o600 });
    const cut = new SitePortBook(home);
    assert.equal(cut.remembered('/p', 'a'), null);
    cut.remember('/p', 'a', 8005);
    cut.save();
    assert.deepEqual(JSON.parse(readFileSync(cut.file, 'utf8')), { '/p': { a: 8005 } });
  });
});

describe('the CLI flag --site-ports', () => {
  it('takes a port, false or true, and says in one sentence what else it may be', () => {
    assert.equal(sitePortsOption(undefined), undefined);
    assert.equal(sitePortsOption('9100'), 9100);
    assert.equal(sitePortsOption('false'), false);
    assert.equal(sitePortsOption('true'), null);
    for (const bad of ['0', '65536', 'off', '', '-1'])
      assert.throws(
        () => sitePortsOption(bad),
        new RegExp(
          `^Error: --site-ports must be the first port of the sites' own ports \\(1-65535\\), false \\(none\\) or true \\(next to the project's port\\), not "${bad}"\\.$`,
        ),
      );
  });
});
