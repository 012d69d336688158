// Runs the unit, integration and e2e suites in order (each a mocha run) and
// ends with one line that says what ran in all: "N passed, N failed".
// `run-tests.mjs SUITE FILE…` runs only those files of one suite, with its
// options: `mocha --config X FILE` would add the config's own spec list to them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// The attack tests' figures (test/support/figures.ts), summed across the suites and printed at the end.
const figuresDir = mkdtempSync(path.join(tmpdir(), 'msl-figures-'));
const figuresFile = path.join(figuresDir, 'figures.jsonl');

const args = process.argv.slice(2);
const files = args.filter((arg) => arg.endsWith('.ts'));
const named = args.filter((arg) => !arg.endsWith('.ts'));
const suites = named.length ? named : ['unit', 'integration', 'e2e'];
if (files.length && suites.length !== 1) {
  console.error('run-tests.mjs: name one suite for the files to run (unit, integration or e2e)');
  process.exit(2);
}

/** mocha's arguments for `suite`: its config, or its options and only `files`. */
function mochaArgs(suite) {
  const configFile = `test/mocharc.${suite}.json`;
  if (!files.length) return ['--config', configFile];
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  const nodeOptions = [config['node-option'] ?? []].flat().flatMap((option) => ['--node-option', option]);
  return ['--no-config', ...nodeOptions, '--timeout', String(config.timeout), '--reporter', config.reporter, ...files];
}
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

for (const suite of suites) {
  console.log(`\n=== ${suite} tests ===`);
  const output = await new Promise((resolve) => {
    let text = '';
    const child = spawn('npx', ['mocha', ...mochaArgs(suite)], {
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
