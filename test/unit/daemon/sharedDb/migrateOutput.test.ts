/**
 * `migrate`'s output as the project's log shows it: line by line, in order,
 * each character whole even when it arrives split between two chunks. The
 * command is real Python printing what a long migrate of apps with Unicode
 * names prints, some lines cut inside a character.
 */
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { runMigrate } from '../../../../daemon/sharedDb/migrate';
import { projectCodeIn } from '../../../support/projectCode';
import { tempFolder } from '../../../support/tempProject';

const LINES = 3000;

describe('migrate output', () => {
  // Its working directory, and its process journal's (migrate with the project's interpreter is journaled).
  let dir: string;
  before(() => (dir = tempFolder('migrate')));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`logs ${LINES.toLocaleString('en-US')} Unicode lines whole and in order, and keeps the last for the sentence`, async () => {
    // Every 100th line is written in two parts cut inside "ü" (two bytes in UTF-8), with a pause between: two chunks.
    const script = [
      'import sys, time',
      'out = sys.stdout.buffer',
      `for i in range(${LINES}):`,
      '    line = f"  Applying bücher_{i}.0001_начало... OK\\n".encode()',
      '    if i % 100: out.write(line); continue',
      '    cut = line.index("ü".encode()) + 1',
      '    out.write(line[:cut]); out.flush(); time.sleep(0.01); out.write(line[cut:]); out.flush()',
    ].join('\n');
    const logged: string[] = [];
    const run = await runMigrate(projectCodeIn(dir), { file: '/usr/bin/python3', args: ['-c', script], cwd: dir, local: true }, (stream, text) => {
      if (stream === 'stdout') logged.push(text);
    });
    assert.equal(run.code, 0);
    assert.deepEqual(
      logged,
      Array.from({ length: LINES }, (_, i) => `  Applying bücher_${i}.0001_начало... OK`),
    );
    assert.equal(run.lastLine, `Applying bücher_${LINES - 1}.0001_начало... OK`);
  });
});
