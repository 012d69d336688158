import * as assert from 'node:assert/strict';
import { parseLiteral, scanModule } from '../../../../../daemon/sites/python/pythonLiteral';
import type { Assignment } from '../../../../../daemon/sites/python/pythonLiteral';

/** The last top-level assignment of `name`, as Python keeps it (what the settings reader takes). */
function findAssignment(source: string, name: string): Assignment | null {
  return scanModule(source, [name]).reduce<Assignment | null>((last, s) => (s.kind === 'assign' ? s.assignment : last), null);
}

describe('pythonLiteral', () => {
  it('reads dict, list and tuple displays with nested values', () => {
    assert.deepEqual(parseLiteral(`{"a": [1, 2.5, -3], 'b': (True, False, None), "c": {"d": ()}}`), {
      a: [1, 2.5, -3],
      b: [true, false, null],
      c: { d: [] },
    });
  });

  it('handles comments, trailing commas, both quote styles and adjacent strings', () => {
    const value = parseLiteral(`{
      # a comment
      'one': "x" 'y'  # more
        "z",
      "two": '''tri
ple''',
    }`);
    assert.deepEqual(value, { one: 'xyz', two: 'tri\nple' });
  });

  it('decodes escapes, but not in raw strings', () => {
    assert.equal(parseLiteral(String.raw`"a\tb\x41\u00e9\\"`), 'a\tbA\u00e9\\');
    assert.equal(parseLiteral(String.raw`r"a\tb"`), String.raw`a\tb`);
  });

  it('reads dict() calls with keyword arguments', () => {
    assert.deepEqual(parseLiteral(`dict(id=1, name="One", aliases=[])`), { id: 1, name: 'One', aliases: [] });
    assert.deepEqual(parseLiteral(`dict({"a": 1}, b=2)`), { a: 1, b: 2 });
  });

  it('reads numbers in every base and with underscores', () => {
    assert.deepEqual(parseLiteral('[0x1F, 0o17, 0b101, 1_000, 1e3]'), [31, 15, 5, 1000, 1000]);
  });

  it('rejects computed values with the line they are on', () => {
    assert.throws(
      () => parseLiteral('{"a":\n  os.environ["X"]}'),
      (e: Error & { line: number }) => e.line === 2 && /os/.test(e.message),
    );
    assert.throws(() => parseLiteral('f"{x}"'), /f-string/);
    assert.throws(() => parseLiteral('{"a": 1} | other'), /computed/);
  });

  it('finds the last top-level assignment and its line', () => {
    const source = 'import os\nX = {"a": 1}\nY = 2\nX = {\n  "b": 2,\n}\nX == 3\n';
    const found = findAssignment(source, 'X');
    assert.equal(found?.line, 4);
    assert.deepEqual(found?.result, { ok: true, value: { b: 2 } });
    assert.equal(findAssignment(source, 'Z'), null);
  });

  it('reports an assignment it cannot read instead of throwing', () => {
    const found = findAssignment('SITES = build_sites()\n', 'SITES');
    assert.equal(found?.result.ok, false);
    assert.equal(found?.line, 1);
  });

  it('ignores names inside strings and comments', () => {
    const source = '# SITES = {"no": 1}\ntext = "SITES = 1"\nSITES = {"yes": 1}\n';
    assert.deepEqual(findAssignment(source, 'SITES')?.result, { ok: true, value: { yes: 1 } });
  });
});
