/**
 * The lock itself under contention: eight processes race for a stale lock at
 * the same moment, round after round, and exactly one may win each time (the
 * old check-then-remove takeover let a slow contender delete a fresh lock).
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempFolder } from '../support/tempProject';

const WORKER = path.resolve(__dirname, '..', 'support', 'lockWorker.ts');
const CONTENDERS = 8;

function contend(file: string, startAt: number): { child: ChildProcessWithoutNullStreams; answer: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, String(startAt)]);
  const answer = new Promise<string>((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.endsWith('\n')) resolve(out.trim());
    });
    child.on('exit', () => resolve(out.trim() || 'exited'));
  });
  return { child, answer };
}

describe('the daemon lock under contention', function () {
  let dir: string;

  before(() => {
    dir = tempFolder('lock-race');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets exactly one of eight processes take over a stale lock, every round', async () => {
    for (let round = 0; round < 8; round++) {
      const file = path.join(dir, `round-${round}.lock`);
      writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 4321, start: 'gone', command: 'node daemon.js' }));
      // Far enough ahead that every contender has loaded before it starts.
      const startAt = Date.now() + 3000;
      const contenders = Array.from({ length: CONTENDERS }, () => contend(file, startAt));
      try {
        const answers = await Promise.all(contenders.map((c) => c.answer));
        assert.equal(answers.filter((a) => a === 'OK').length, 1, `round ${round}: ${answers.join(' ')}`);
        assert.equal(answers.filter((a) => a === 'NO').length, CONTENDERS - 1, `round ${round}: ${answers.join(' ')}`);
      } finally {
        for (const { child } of contenders) child.stdin.end();
        await Promise.all(contenders.map(({ child }) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
      }
    }
    assert.deepEqual(
      readdirSync(dir).filter((name) => !/^round-\d+\.lock$/.test(name)),
      [],
      'no takeover or temp files are left',
    );
  });
});
