/**
 * Differential test: our tokenizer's notion of valid Python against the real
 * Python 3 that Django projects run on (/usr/bin/python3 compiling the source as
 * a file's bytes). Valid Python must be read; what Python refuses at the
 * level of tokens (brackets, strings, escapes, characters, numbers,
 * indentation) must be refused on the line Python names.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { scanModule } from '../../../../../daemon/sites/python/pythonLiteral';
import { requireComponents } from '../../../../support/components';

const PYTHON = '/usr/bin/python3';
const COMPILE = `
import json, sys, warnings
warnings.simplefilter("ignore")  # deprecated escapes and "1if" are still valid Python
out = []
for source in json.load(sys.stdin):
    try:
        compile(source.encode("utf-8"), "settings.py", "exec")
        out.append(None)
    except SyntaxError as error:
        out.append(error.lineno)
    except ValueError:
        out.append(0)
print(json.dumps(out))
`;

/** Sources that settings files contain, valid or not; each ends with a setting we read. */
const CASES = [
  // Issue 14: valid Python that made the file unreadable.
  'SEPARATOR = "\\N{BULLET}"\nSITE_ID = 1\n',
  'SEPARATOR = "\\N{bullet} \\N{EM DASH}"\nSITE_ID = 1\n',
  'µ = 1\nSITE_ID = 1\n',
  'ℕ = 2\n日本 = "x"\nnaïve_π = 3\nX· = 4\nSITE_ID = 1\n',
  // Issue 14: a bracket never closed hid every later setting.
  'LOGGING = dict(\n    version=1,\n\nSITE_ID = 1\n',
  'X = (\n1,\n[\n2\nSITE_ID = 1\n',
  'X = (1]\nSITE_ID = 1\n',
  'X = (\n1\n]\nSITE_ID = 1\n',
  'X = 1)\nSITE_ID = 1\n',
  'X = {"a": (1, [2, {3}])}\nSITE_ID = 1\n',
  // Strings.
  'X = "abc\nSITE_ID = 1\n',
  'X = """abc\n\nSITE_ID = 1\n',
  "X = 'a\\\nb'\nSITE_ID = 1\n",
  'X = [rb"x", Rb"y", BR"z", u"w", Fr"{1}", rf"{2}", b"a" B"b", "a" f"b" r"c"]\nSITE_ID = 1\n',
  'X = rb"x" u"w"\nSITE_ID = 1\n',
  'X = (b"a"\n b"x"\n "c")\nSITE_ID = 1\n',
  'X = "\\N{BULLET"\nSITE_ID = 1\n',
  'X = "\\N"\nSITE_ID = 1\n',
  'X = "\\N{}"\nSITE_ID = 1\n',
  'X = r"\\N{BULLET}" b"\\N{BULLET}"\nSITE_ID = 1\n',
  'X = "\\x4"\nSITE_ID = 1\n',
  'X = "\\u12"\nSITE_ID = 1\n',
  'X = "\\U00110000"\nSITE_ID = 1\n',
  'X = "\\101\\0\\7\\d\\8"\nSITE_ID = 1\n',
  'X = b"é"\nSITE_ID = 1\n',
  'X = b"\\u1234"\nSITE_ID = 1\n',
  // Characters.
  'X = 1 $ 2\nSITE_ID = 1\n',
  '€ = 1\nSITE_ID = 1\n',
  'X = \u00a0 1\nSITE_ID = 1\n',
  'X = 1 \\ 2\nSITE_ID = 1\n',
  "X = 'a' \\\n 'b'\nSITE_ID = 1\n",
  'X = 1\r\nY = 2\rSITE_ID = 1\r\n',
  '\ufeffSITE_ID = 1\n',
  'X = 1\n\x0c\nSITE_ID = 1\n',
  // Operators.
  'X = 1\nX **= 2\nX //= 3\nX <<= 1\nX >>= 1\nX @= Y\nX ^= 1\nX %= 1\nX &= 1\nX |= 1\nY = ...\nSITE_ID = 1\n',
  'X = 1 ! 2\nSITE_ID = 1\n',
  // Numbers.
  'X = [1_000.000_1e1_0j, 0x_1F, 0o17, 0b1, 00, 0_0, 09.5, .5, 1., 1e+5, 1j, 1.5J, 1 .real]\nSITE_ID = 1\n',
  'X = 1if 1 else 2\nY = 1or 2\nSITE_ID = 1\n',
  'X = 0777\nSITE_ID = 1\n',
  'X = 1_\nSITE_ID = 1\n',
  'X = 1__0\nSITE_ID = 1\n',
  'X = 0x\nSITE_ID = 1\n',
  'X = 1e\nSITE_ID = 1\n',
  'X = 1e+\nSITE_ID = 1\n',
  'X = 0b12\nSITE_ID = 1\n',
  'X = 0o8\nSITE_ID = 1\n',
  'X = 1abc\nSITE_ID = 1\n',
  'X = 1.__class__\nSITE_ID = 1\n',
  'X = 1\u00a0\nSITE_ID = 1\n',
  // Indentation.
  'if DEBUG:\n    X = 1\n  Y = 2\nSITE_ID = 1\n',
  'if DEBUG:\n\tX = 1\n        Y = 2\nSITE_ID = 1\n',
  'if DEBUG:\n  \tX = 1\n\t  Y = 2\nSITE_ID = 1\n',
  'if DEBUG:\n\tX = 1\n\tY = 2\nSITE_ID = 1\n',
  'X = 1\n    Y = 2\nSITE_ID = 1\n',
  '  SITE_ID = 1\n',
  'if DEBUG:\nSITE_ID = 1\n',
  'if DEBUG:\n\n  # comment\n\n  X = 1\nSITE_ID = 1\n',
  'if DEBUG: X = 1\n  Y = 2\nSITE_ID = 1\n',
  'class A: pass\nSITE_ID = 1\n',
  'try:\n    from .local import *\nexcept ImportError:\n    pass\nSITE_ID = 1\n',
  'X = [\n  1,\n    2,\n]\nSITE_ID = 1\n',
  'X = 1 \\\n  + 2\n  Y = 1\nSITE_ID = 1\n',
  'def f():\n    """doc\n"""\n    return 1\nSITE_ID = 1\n',
  'if A:\n  if B:\n    X = 1\nSITE_ID = 1\n',
  'X = 1\nSITE_ID = 1\nif DEBUG:\n',
  ' \\\n  X = 1\nSITE_ID = 1\n',
  'if DEBUG:\n  \\\n    X = 1\n  Y = 2\nSITE_ID = 1\n',
  // Issue 14: invalid syntax inside a value that was taken for a computed one.
  'X = {"a": 1,, "b": 2}\nSITE_ID = 1\n',
  'X = {\n  "a": 1,\n  ,\n}\nSITE_ID = 1\n',
  'X = [1 "a"]\nSITE_ID = 1\n',
  'X = {"a" 1}\nSITE_ID = 1\n',
  'X = ("a") "b"\nSITE_ID = 1\n',
  'X = 1 2\nSITE_ID = 1\n',
  'X =\nSITE_ID = 1\n',
  'X = {"a": }\nSITE_ID = 1\n',
  'X = else\nSITE_ID = 1\n',
  'X = [1, in]\nSITE_ID = 1\n',
  'X = 1 if Y else 2\nX = [*Y]\nX = {**Y}\nX = lambda: 1\nX = ...\nX = "a"("b")\nX = -Y\nX = not Y\nX = ~1\nX = Y = 2\nX = "a" f"b"\nSITE_ID = 1\n',
  // Issue 21: nesting deep enough to overflow a recursive reader; Python refuses more than 200 brackets.
  `X = ${'['.repeat(200)}${']'.repeat(200)}\nSITE_ID = 1\n`,
  `X = ${'('.repeat(201)}${')'.repeat(201)}\nSITE_ID = 1\n`,
  `X = {\n${'  ['.repeat(150)}\n${'{'.repeat(51)}\nSITE_ID = 1\n`,
  `Y = ${'['.repeat(100_000)}${']'.repeat(100_000)}\nSITE_ID = 1\n`,
];

/** Pieces of settings files, valid and not, for sources made at random. */
const PIECES = [
  ...['X', 'µ', '日本', ' = ', '1', '0x1f', '1_0', '1e5', '0777', '1_', '"a"', "b'x'", '"\\N{BULLET}"', '"""t\n"""', '"\\x4"'],
  ...['(', ')', '[', ']', '{', '}', ', ', ':', '\n', '    ', '\t', '  ', '#c', '\\\n', 'if X', ' ', 'pass', '€', '$'],
];

/** The line our reader refuses `source` on, or null when it reads it (X's values parsed too, where invalid syntax also shows). */
function ourVerdict(source: string): number | null {
  try {
    scanModule(source, ['SITE_ID', 'X']);
    return null;
  } catch (error) {
    return (error as { line?: number }).line ?? -1;
  }
}

describe('python tokens against real Python', () => {
  before(function () {
    requireComponents(this, 'django'); // the probe is /usr/bin/python3 itself, which projects run on
  });

  it('reads what Python compiles and refuses what it refuses, on the same line', function () {
    this.timeout(20_000);
    const python = JSON.parse(execFileSync(PYTHON, ['-c', COMPILE], { input: JSON.stringify(CASES), encoding: 'utf8' })) as (number | null)[];
    const disagreements = CASES.flatMap((source, i) => {
      const ours = ourVerdict(source);
      return ours === python[i] ? [] : [`${JSON.stringify(source)}: Python ${python[i] ?? 'valid'}, ours ${ours ?? 'valid'}`];
    });
    assert.deepEqual(disagreements, []);
  });

  it('reads every random source Python compiles, and refuses only what Python refuses (property)', function () {
    this.timeout(60_000);
    const sources = fc.sample(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((p) => p.join('')),
      { numRuns: 3000, seed: 1414 },
    );
    const python = JSON.parse(execFileSync(PYTHON, ['-c', COMPILE], { input: JSON.stringify(sources), encoding: 'utf8' })) as (number | null)[];
    // One way only: which of two errors in one source Python names first is up to its parser.
    const refusedValid = sources.filter((source, i) => python[i] === null && ourVerdict(source) !== null);
    assert.deepEqual(
      refusedValid.map((s) => JSON.stringify(s)),
      [],
    );
  });
});
