import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseLiteral } from '../../../../../daemon/sites/python/pythonLiteral';
import type { PyValue } from '../../../../../daemon/sites/python/pythonLiteral';

/** Writes a value as Python source, with the variations settings files have. */
function toPython(value: PyValue, trailingComma: boolean, singleQuotes: boolean): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const json = JSON.stringify(value); // JSON escapes are valid Python escapes
    return singleQuotes ? `'${json.slice(1, -1).replace(/'/g, "\\'").replace(/\\"/g, '"')}'` : json;
  }
  const comma = trailingComma ? ',' : '';
  const inner = (items: string[]): string => (items.length ? items.join(',\n  # comment\n  ') + comma : '');
  if (Array.isArray(value)) return `[${inner(value.map((v) => toPython(v, trailingComma, singleQuotes)))}]`;
  return `{${inner(Object.entries(value).map(([k, v]) => `${toPython(k, trailingComma, singleQuotes)}: ${toPython(v, trailingComma, singleQuotes)}`))}}`;
}

const pyValue = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
    fc.string({ unit: 'grapheme' }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Own keys only, so objects compare by content whatever their prototype. */
function plain(value: PyValue): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => [k, plain(v)]);
  return value;
}

describe('pythonLiteral (property)', () => {
  it('reads back any JSON-shaped value written as Python source', () => {
    fc.assert(
      fc.property(pyValue, fc.boolean(), fc.boolean(), (value, trailing, single) => {
        assert.deepEqual(plain(parseLiteral(toPython(value, trailing, single))), plain(value));
      }),
      { numRuns: 300 },
    );
  });
});
