// Runs the unit, integration and e2e suites in order (each a mocha run) and
// ends with one line that says what ran in all: "N passed, N failed".
import { spawn } from 'node:child_process';

const suites = process.argv.slice(2).length ? process.argv.slice(2) : ['unit', 'integration', 'e2e'];
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

for (const suite of suites) {
  console.log(`\n=== ${suite} tests ===`);
  const output = await new Promise((resolve) => {
    let text = '';
    const child = spawn('npx', ['mocha', '--config', `test/mocharc.${suite}.json`], { stdio: ['ignore', 'pipe', 'inherit'] });
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

const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(exitCode);
