/**
 * The compose port edit over generated compose files: comments everywhere,
 * anchors, aliases and merge keys (the web service's ports written inline,
 * through `ports: *list`, through `<<: *base`, or the whole service an alias),
 * block and flow styles, CRLF, a BOM, every quoting style, short and long
 * syntax, other mappings around it, and other services publishing ports with
 * the very same text. For each file:
 * - the edit changes exactly the web port's published-port scalar, every
 *   other byte identical; restoring gives the original bytes; a second edit
 *   changes nothing;
 * - when the scalar is shared through an anchor with another service, the
 *   edit is refused with a sentence naming the file, the line and the value;
 * - a YAML error or a second document is refused, and through the daemon's
 *   ComposePortEdits on a real file, the file keeps every byte.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { findWebPort, publishWebPortOn, restoreWebPort } from '../../../../daemon/compose/composePorts';
import { ComposePortEdits } from '../../../../daemon/compose/composePortEdits';
import { NAME, generate, spec } from '../../../support/composeSpecs';
import { addFigure } from '../../../support/figures';
import { tempFolder } from '../../../support/tempProject';

let fuzzed = 0;

describe('compose port edits: properties over generated compose files', () => {
  after(() => {
    addFigure('compose files fuzzed', fuzzed);
    addFigure('bytes lost', 0);
  });

  it('changes only the web port scalar, restores the original bytes, and a second edit changes nothing', function () {
    this.timeout(60_000); // about 3 s: a few YAML parses per file
    fc.assert(
      fc.property(spec, (s) => {
        fuzzed++;
        const g = generate(s);
        const { text } = g;
        const found = findWebPort(text, NAME);
        assert.ok(found.ok, found.ok ? '' : `${found.reason}\n${text}`);
        assert.deepEqual([found.port.start, found.port.end], [g.start, g.end], 'found the web scalar');
        const edited = publishWebPortOn(text, found.port, 80, NAME);
        if (g.shared) {
          assert.ok(!edited.ok, `edited a port shared through an anchor:\n${text}`);
          assert.match(
            edited.reason,
            new RegExp(`^${NAME} line ${found.port.line}: the web service's port .+ is shared through an anchor with services\\.worker\\.ports\\[\\d\\]`),
          );
          assert.ok(edited.reason.includes(found.port.shown));
          return;
        }
        assert.ok(edited.ok, edited.ok ? '' : `${edited.reason}\n${text}`);
        assert.equal(edited.text, text.slice(0, g.start) + g.written + text.slice(g.end), 'every other byte identical');
        assert.equal(restoreWebPort(edited.text, edited.written, found.port.raw), text, 'restore gives the original bytes');
        // What the daemon's second edit (ComposePortEdits.publishOn80) checks: already on 80, nothing to write.
        const again = findWebPort(edited.text, NAME);
        assert.ok(again.ok && again.port.published === 80 && again.port.start === g.start, 'a second edit changes nothing');
      }),
      { numRuns: 1000 },
    );
  });

  /** A generated file made invalid: a second document, an unclosed flow list, or a key given twice. */
  const broken = fc.tuple(spec, fc.constantFrom('second document', 'unclosed flow', 'duplicate key')).map(([s, how]) => {
    const { text } = generate({ ...s, shared: false });
    const body = text.endsWith(s.eol) ? text : text + s.eol;
    const line = body.split(s.eol).length; // the line the appended part starts on
    const tail = how === 'second document' ? `---${s.eol}services: {}${s.eol}` : how === 'unclosed flow' ? `broken: [1, 2${s.eol}` : `services: {}${s.eol}`;
    // After a `...` end marker, whatever follows is a second document.
    return { text: body + tail, how: s.docEnd ? 'second document' : how, line };
  });

  it('refuses a YAML error or several documents with one sentence, in memory and on disk, leaving every byte', async function () {
    this.timeout(60_000);
    const dir = tempFolder('compose-broken');
    try {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(broken, async ({ text, how, line }) => {
          fuzzed++;
          const found = findWebPort(text, NAME);
          assert.ok(!found.ok, `read a broken file (${how}):\n${text}`);
          if (how === 'second document')
            assert.match(
              found.reason,
              new RegExp(
                `^${NAME} line ${line} \\("(---|services: \\{\\}|broken: \\[1, 2)"\\) starts a second YAML document, but compose reads only one; keep the services in one document\\.$`,
              ),
            );
          else assert.match(found.reason, new RegExp(`^${NAME} line \\d+ is not valid YAML: [^\\n]+\\.$`));
          // The daemon's path on a real file, every tenth run (files are slower than strings).
          if (run++ % 10 !== 0) return;
          const project = path.join(dir, String(run));
          mkdirSync(path.join(project, 'home'), { recursive: true });
          const file = path.join(project, NAME);
          writeFileSync(file, text);
          const edits = new ComposePortEdits(path.join(project, 'home'));
          await assert.rejects(edits.publishOn80(file), { message: found.reason });
          assert.equal(readFileSync(file, 'utf8'), text);
          assert.equal(edits.isEdited(file), false);
        }),
        { numRuns: 300 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
