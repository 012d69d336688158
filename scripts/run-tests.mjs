// Runs the unit, integration and e2e suites in order (each a mocha run) and
// ends with one line that says what ran in all: "N passed, N failed".
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// The attack tests' figures (test/support/figures.ts), summed across the suites and printed at the end.
const figuresDir = mkdtempSync(path.join(tmpdir(), 'msl-figures-'));
const figuresFile = path.join(figuresDir, 'figures.jsonl');

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

for (const suite of suites) {
  console.log(`\n=== ${suite} tests ===`);
  const output = await new Promise((resolve) => {
    let text = '';
    const child = spawn('npx', ['mocha', '--config', `test/mocharc.${suite}.json`], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, MULTISITE_LOCAL_FIGURES_FILE: figuresFile },
    });
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      text += chunk;
    });
    child.on('close', (code) => {
      if (code !== 0) exitCode = 1;
      resolve(text);
    });
  });
  const count = (word) => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
  totals.passed += count('passing');
  totals.failed += count('failing');
  totals.skipped += count('pending');
  if (count('passing') + count('failing') === 0) {
    console.log(`${suite}: no test ran`);
    exitCode = 1;
  }
}

const figures = new Map();
for (const line of existsSync(figuresFile) ? readFileSync(figuresFile, 'utf8').split('\n') : []) {
  if (!line) continue;
  const { figure, count } = JSON.parse(line);
  figures.set(figure, (figures.get(figure) ?? 0) + count);
}
rmSync(figuresDir, { recursive: true, force: true });
if (figures.size > 0) {
  console.log('\nReliability and security figures:');
  for (const [figure, count] of figures) console.log(`  ${figure}: ${count.toLocaleString('en-US')}`);
}

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(exitCode);
