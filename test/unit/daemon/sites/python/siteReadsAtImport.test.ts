/**
 * Where a module reads the site at import time, from its text: the captures
 * one server for every site keeps (module level, class bodies, `def` lines,
 * decorators), never a read that runs per request (function and lambda
 * bodies), nor one in a comment or a string; the tricky cases one by one,
 * then properties over generated nestings and noise.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { siteReadsAtImport } from '../../../../../daemon/sites/python/siteReadsAtImport';

/** The lines read at import time in `source` (lines given as an array, joined by newlines). */
const lines = (...source: string[]): number[] => siteReadsAtImport(source.join('\n')).reads.map((r) => r.line);
const expressions = (...source: string[]): string[] => siteReadsAtImport(source.join('\n')).reads.map((r) => r.expression);

describe('siteReadsAtImport', () => {
  it('finds the captures at module level, with the expression as written', () => {
    const source = [
      'from django.conf import settings',
      'from django.contrib.sites.models import Site',
      'from django.contrib.sites.shortcuts import get_current_site',
      'CURRENT_SITE = Site.objects.get_current()',
      'HOME = settings.SITE_ID',
      'site = get_current_site(None)',
      'other = getattr(settings, "SITE_ID", 1)',
      'qualified = django.conf.settings.SITE_ID',
    ];
    assert.deepEqual(siteReadsAtImport(source.join('\n')).reads, [
      { line: 4, expression: 'Site.objects.get_current()' },
      { line: 5, expression: 'settings.SITE_ID' },
      { line: 6, expression: 'get_current_site(None)' },
      { line: 7, expression: 'getattr(settings, "SITE_ID", 1)' },
      { line: 8, expression: 'django.conf.settings.SITE_ID' },
    ]);
  });

  it('counts a condition at module level as a capture, and its body as import time too', () => {
    assert.deepEqual(lines('if settings.SITE_ID == 1:', '    X = 1', 'else:', '    X = Site.objects.get_current()'), [1, 4]);
    assert.deepEqual(lines('try:', '    S = settings.SITE_ID', 'except Exception:', '    pass'), [2]);
  });

  it('finds class attributes, nested class bodies and model field defaults', () => {
    const source = [
      'class Article(models.Model):',
      '    site_id = settings.SITE_ID',
      '    site = models.ForeignKey(Site, default=settings.SITE_ID, on_delete=models.CASCADE)',
      '    class Meta:',
      '        ordering = [settings.SITE_ID]',
    ];
    assert.deepEqual(lines(...source), [2, 3, 5]);
  });

  it("leaves function bodies out, a method's too, but not the class body after it", () => {
    const source = [
      'def view(request):',
      '    return Site.objects.get_current()',
      'class Panel:',
      '    def render(self):',
      '        return settings.SITE_ID',
      '',
      '    # back in the class body',
      '    site_id = settings.SITE_ID',
      'async def handler(request):',
      '    site = await get_current_site(request)',
      '    class Local:',
      '        site_id = settings.SITE_ID',
      '    def inner():',
      '        return settings.SITE_ID',
      '    return settings.SITE_ID',
      'AFTER = settings.SITE_ID',
    ];
    assert.deepEqual(lines(...source), [8, 16]);
  });

  it('finds what a def line evaluates (defaults, annotations, decorators), never its body or its name', () => {
    const source = [
      '@cache_page(60, key_prefix=settings.SITE_ID)',
      'def home(request, site_id=settings.SITE_ID):',
      '    return site_id',
      'def current(request) -> int: return settings.SITE_ID',
      'def get_current_site(request):',
      '    return None',
      'def multi(',
      '    request,',
      '    site=Site.objects.get_current(),',
      '):',
      '    pass',
    ];
    assert.deepEqual(lines(...source), [1, 2, 9]);
  });

  it('leaves lambda bodies out (they run when called) but finds their defaults', () => {
    assert.deepEqual(lines('f = lambda: settings.SITE_ID'), []);
    assert.deepEqual(lines('f = lambda request: get_current_site(request)'), []);
    assert.deepEqual(lines('g = lambda s=settings.SITE_ID: s'), [1]);
    assert.deepEqual(lines('h = {"a": lambda: settings.SITE_ID, "b": settings.SITE_ID}'), [1]);
    assert.deepEqual(lines('h = {"a": lambda: settings.SITE_ID, "b": 2}'), []);
    assert.deepEqual(lines('lazy = SimpleLazyObject(lambda: Site.objects.get_current())'), []);
    assert.deepEqual(lines('pair = (lambda: 1, lambda: (settings.SITE_ID, 2))'), []);
  });

  it('finds nothing in comments, strings, docstrings, or the text of an f-string', () => {
    const source = [
      '"""Reads settings.SITE_ID and Site.objects.get_current()."""',
      '# HOME = settings.SITE_ID',
      "x = 'settings.SITE_ID'  # Site.objects.get_current()",
      'y = r"get_current_site(None)"',
      "z = '''",
      'settings.SITE_ID',
      "'''",
      'w = f"settings.SITE_ID {{settings.SITE_ID}}"',
      'v = b"settings.SITE_ID" + "\\"settings.SITE_ID"',
    ];
    assert.deepEqual(lines(...source), []);
  });

  it("finds the expression an f-string evaluates, a nested string's content aside", () => {
    assert.deepEqual(lines('KEY = f"site-{settings.SITE_ID}"'), [1]);
    assert.deepEqual(lines('KEY = f"site-{names[\'settings.SITE_ID\']}"'), []);
    assert.deepEqual(lines('KEY = f"""', '{settings.SITE_ID}', '"""', 'NEXT = settings.SITE_ID'), [2, 4]);
  });

  it('is not fooled by a docstring whose lines start at column 0 inside a function', () => {
    const source = ['def view(request):', '    """', 'Docs at column 0.', '"""', '    return settings.SITE_ID', 'X = 1'];
    assert.deepEqual(lines(...source), []);
  });

  it('reports the physical line of a read inside a multi-line statement', () => {
    assert.deepEqual(lines('SITE = Site.objects.get(', '    pk=settings.SITE_ID,', ')'), [2]);
    assert.deepEqual(lines('TOTAL = 1 + \\', '    settings.SITE_ID'), [2]);
    assert.deepEqual(lines('def f(', '    a=(1,', '       2),', '    b=settings.SITE_ID):', '    return settings.SITE_ID'), [4]);
  });

  it('does not take an assignment to SITE_ID for a read, nor a comparison for an assignment', () => {
    assert.deepEqual(lines('settings.SITE_ID = 3'), []);
    assert.deepEqual(lines('ok = settings.SITE_ID == 3'), [1]);
    assert.deepEqual(lines('override_settings(SITE_ID=2)'), []);
  });

  it('shortens a long or multi-line call to its name', () => {
    assert.deepEqual(expressions('S = get_current_site(', '    None)'), ['get_current_site(...)']);
    assert.deepEqual(expressions(`S = Site.objects.get_current(${'x'.repeat(80)})`), ['Site.objects.get_current(...)']);
  });

  it('reads CRLF sources, a byte order mark and tab indentation as Python does', () => {
    assert.deepEqual(siteReadsAtImport('\uFEFFdef f():\r\n\treturn settings.SITE_ID\r\nX = settings.SITE_ID\r\n').reads, [
      { line: 3, expression: 'settings.SITE_ID' },
    ]);
    assert.deepEqual(lines('class A:', '\tdef f(self):', '\t\treturn settings.SITE_ID', '\tx = settings.SITE_ID'), [4]);
  });

  it('keeps offsets through text past ASCII (astral characters, lone surrogates, names with accents)', () => {
    assert.deepEqual(siteReadsAtImport('x = "\u{1F600}\uD800\uFEFF"; y = get_current_site(None)\nnom_été = settings.SITE_ID\n').reads, [
      { line: 1, expression: 'get_current_site(None)' },
      { line: 2, expression: 'settings.SITE_ID' },
    ]);
  });

  it('says whether the module is a URLconf (assigns urlpatterns on import)', () => {
    assert.equal(siteReadsAtImport('urlpatterns = [\n    path("", views.home),\n]\n').urlpatterns, true);
    assert.equal(siteReadsAtImport('urlpatterns: list = []\nurlpatterns += [path("x", v)]\n').urlpatterns, true);
    assert.equal(siteReadsAtImport('if DEBUG:\n    urlpatterns = []\n').urlpatterns, true);
    assert.equal(siteReadsAtImport('def patterns():\n    urlpatterns = []\n    return urlpatterns\n').urlpatterns, false);
    assert.equal(siteReadsAtImport('# urlpatterns = []\nx = "urlpatterns = []"\n').urlpatterns, false);
    assert.equal(siteReadsAtImport('if urlpatterns == []:\n    pass\n').urlpatterns, false);
  });

  it('never throws on source Python would refuse, and scans what it can', () => {
    assert.deepEqual(lines('x = "unterminated', 'Y = settings.SITE_ID'), [2]);
    assert.deepEqual(lines('x = (', 'Y = settings.SITE_ID'), [2]);
    assert.deepEqual(lines(')))', 'Y = settings.SITE_ID'), [2]);
    assert.deepEqual(lines('f = lambda settings.SITE_ID'), [1]);
    assert.deepEqual(lines('s = """never closed', 'settings.SITE_ID'), []);
  });
});

const READS = ['Site.objects.get_current()', 'settings.SITE_ID', 'get_current_site(None)', 'getattr(settings, "SITE_ID")'];
/** Headers whose bodies run on import where they stand (module level, a class body). */
const IMPORT_TIME = ['if DEBUG:', 'for a in range(3):', 'with lock:', 'try:', 'class K:', 'while flag:', 'class M(Base, metaclass=Meta):'];
/** Headers whose bodies run when called. */
const CALLED = ['def f():', 'async def g(request):', 'def h(self, x=1):', 'def k(\n    a,\n):'];

const read = fc.constantFrom(...READS);
const width = fc.constantFrom('  ', '    ', '\t');
/** Lines that are no code: blank, comments, docstrings (one or several lines). */
const noise = fc.array(
  fc.constantFrom('', '# settings.SITE_ID', '"""settings.SITE_ID"""', '"""\nSite.objects.get_current()\n"""', "x = '#'  # get_current_site(None)", 'pass'),
  { maxLength: 4 },
);
const countLines = (text: string): number => text.split('\n').length;

describe('siteReadsAtImport (property)', () => {
  it('finds a read nested in blocks exactly when no def encloses it, at its line, and the module-level read after them', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...IMPORT_TIME), fc.constantFrom(...CALLED)), { maxLength: 5 }),
        width,
        read,
        read,
        (headers, unit, inner, after) => {
          const lines = headers.map((header, depth) => header.replace(/^|\n/g, (m) => m + unit.repeat(depth)));
          const body = unit.repeat(headers.length) + `value = ${inner}`;
          const source = [...lines, body, `AFTER = ${after}`].join('\n');
          const at = countLines([...lines, body].join('\n'));
          const expected = headers.some((h) => CALLED.includes(h)) ? [at + 1] : [at, at + 1];
          assert.deepEqual(
            siteReadsAtImport(source).reads.map((r) => r.line),
            expected,
            source,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('moves a read down by exactly the lines of comments, blank lines and docstrings before it', () => {
    fc.assert(
      fc.property(noise, read, (before, expression) => {
        const prefix = before.length ? `${before.join('\n')}\n` : '';
        const [found, ...rest] = siteReadsAtImport(`${prefix}X = ${expression}\n`).reads;
        assert.deepEqual(rest, []);
        assert.deepEqual(found, { line: countLines(prefix), expression });
      }),
      { numRuns: 200 },
    );
  });

  it('finds nothing in any string literal or comment holding a read', () => {
    const prefix = fc.constantFrom('', 'r', 'b', 'u', 'R', 'rb', 'Br', 'f');
    const quote = fc.constantFrom('"', "'", '"""', "'''");
    fc.assert(
      fc.property(prefix, quote, read, fc.boolean(), (p, q, expression, comment) => {
        // In an f-string, the braces are literal when doubled.
        const body = p.toLowerCase() === 'f' ? expression.replace(/[{}]/g, '$&$&') : expression;
        const literal = `${p}${q}${body.replace(/["']/g, '')}${q}`;
        const source = comment ? `x = 1  # ${expression}` : `x = ${literal}`;
        assert.deepEqual(siteReadsAtImport(source).reads, [], source);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws, and reports lines that exist, on any text', () => {
    const pythonish = fc.string({ unit: fc.constantFrom(...'ab:()[]{}\'"#\\\n \t=.,lambdadefclass settings.SITE_ID f'.split('')), maxLength: 200 });
    fc.assert(
      fc.property(pythonish, (text) => {
        const { reads } = siteReadsAtImport(text);
        const total = countLines(text.replace(/\r\n?/g, '\n'));
        for (const { line } of reads) assert.ok(line >= 1 && line <= total, `${line} of ${total}`);
      }),
      { numRuns: 500 },
    );
  });
});
