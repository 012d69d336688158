/**
 * Domain names as a hosts file needs them: IDNs to punycode, anything a hosts
 * line could misread refused, and the text checked as written: a URL parser's
 * reading of it (path cut off, percent-decoded, numbers read as an IPv4
 * address) is never taken for the name the config gives.
 */
import * as assert from 'node:assert/strict';
import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { checkDomain } from '../../../../daemon/sites/domainName';

/** The reason `text` is refused; fails the test when it is accepted. */
function reasonFor(text: string, options?: { port?: boolean }): string {
  const checked = checkDomain(text, options);
  assert.equal(checked.ok, false, `${JSON.stringify(text)} was accepted as ${JSON.stringify(checked.ok && checked.ascii)}`);
  return checked.ok ? '' : checked.reason;
}

/** One clause of one line, to be ended by the sentence it goes into. */
function assertClause(reason: string, text: string): void {
  assert.match(reason, /^it[^\n\r]*[^.]$/, `${JSON.stringify(text)}: ${JSON.stringify(reason)}`);
}

describe('domain names', () => {
  it('checks names the way a hosts file needs them', () => {
    assert.deepEqual(checkDomain('Straße.DE'), { ok: true, ascii: 'xn--strae-oqa.de' });
    for (const bad of ['a b.example', 'a\nb.example', 'x#y.example', '-a.example', 'a..b', '127.0.0.1', 'a;rm.example', '']) {
      assert.equal(checkDomain(bad).ok, false, JSON.stringify(bad));
    }
  });

  it('refuses what a URL parser would rewrite, rather than taking the rewritten name (issue 14)', () => {
    const cases: [string, RegExp][] = [
      ['shop.example/path', /"\/"/],
      ['a/b.example', /"\/"/],
      ['a%2eb.example', /"%"/],
      ['123.456', /IP address/],
      ['0x7f.1', /IP address/],
      ['1.2.3', /IP address/],
      ['example.123', /IP address/],
      ['example.0x1F', /IP address/],
      ['http://shop.example', /URL/],
      ['user@shop.example', /"@"/],
      ['shop.example?x=1', /"\?"/],
      ['shop.example:8000', /port/],
      ['[::1]', /"\["/],
      ['ex\u00ADample.com', /U\+00AD/],
      ['ＥＸＡＭＰＬＥ.com', /"example"/],
      ['①.example', /"1"/],
      ['a_b.example', /"_"/],
    ];
    for (const [text, names] of cases) {
      const reason = reasonFor(text);
      assertClause(reason, text);
      assert.match(reason, names, `${JSON.stringify(text)}: ${reason}`);
    }
  });

  it('gives one clear clause for each shell or template character', () => {
    for (const bad of [';', '$(id)', '`id`', '"', "'", '\\', '%USERPROFILE%', '&', '\n', '\r\n', '|', '<', '>', '*', '{x}', '!', '~', ',', '=', '+']) {
      const text = `a${bad}b.example`;
      assertClause(reasonFor(text), text);
    }
  });

  it('keeps international names, written in Unicode or in punycode', () => {
    const good: [string, string][] = [
      ['bücher.example', 'xn--bcher-kva.example'],
      ['BÜCHER.example.', 'xn--bcher-kva.example'],
      ['XN--BCHER-KVA.example', 'xn--bcher-kva.example'],
      ['café.example', 'xn--caf-dma.example'],
      ['cafe\u0301.example', 'xn--caf-dma.example'],
      ['日本語.jp', 'xn--wgv71a119e.jp'],
      ['пример.рф', 'xn--e1afmkfd.xn--p1ai'],
      ['ドメイン名例abc.jp', 'xn--abc-qi4b8gof5e173yzqi.jp'],
      ['shop-1.192.168.99.100.xip.io', 'shop-1.192.168.99.100.xip.io'],
    ];
    for (const [text, ascii] of good) assert.deepEqual(checkDomain(text), { ok: true, ascii }, text);
  });

  it('refuses a label that mixes look-alike scripts, in Unicode or in punycode', () => {
    for (const text of ['pаypal.example', 'xn--pypal-4ve.example', 'gοοgle.example']) {
      const reason = reasonFor(text);
      assertClause(reason, text);
      assert.match(reason, /mixes/, reason);
    }
  });

  it('refuses labels over 63 characters and names over 253, also once encoded', () => {
    assert.match(reasonFor(`${'a'.repeat(64)}.example`), /63/);
    assert.match(reasonFor(`${'ü'.repeat(60)}.example`), /63/);
    assert.match(reasonFor(Array(64).fill('abc').join('.')), /253/);
    assert.equal(checkDomain(`${'a'.repeat(63)}.example`).ok, true);
  });

  it('takes a port only where the config allows one', () => {
    assert.deepEqual(checkDomain('Shop.example:8000', { port: true }), { ok: true, ascii: 'shop.example', port: 8000 });
    assert.deepEqual(checkDomain('shop.example', { port: true }), { ok: true, ascii: 'shop.example' });
    for (const bad of ['shop.example:0', 'shop.example:65536', 'shop.example:', 'shop.example:80:80', 'shop.example:http']) {
      assertClause(reasonFor(bad, { port: true }), bad);
    }
  });

  it('accepts only names that a URL parser reads back as written (property)', () => {
    const piece = fc.constantFrom('a', 'Z', '0', '7', 'x', '-', '.', '/', '%', '2e', '@', ':', 'ü', 'ß', 'а', '日', '\u00AD', 'ｆ', '0x', '80', ' ', '_');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const text = pieces.join('');
        const checked = checkDomain(text);
        if (!checked.ok) return;
        // What we accept, WHATWG reads as the same name: nothing cut, decoded, or turned into an address.
        assert.equal(domainToASCII(text.replace(/\.$/, '')), checked.ascii, JSON.stringify(text));
        assert.match(checked.ascii, /^[a-z0-9.-]+$/);
        assert.equal(checked.ascii.split('.').length, text.replace(/\.$/, '').split('.').length, JSON.stringify(text));
      }),
      { numRuns: 3000, seed: 14 },
    );
  });
});
