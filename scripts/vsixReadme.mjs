/**
 * The README packaged in the .vsix (`vsce package --readme-path`): README.md up
 * to its marker, what a person using the extension reads, without how it works
 * inside (the daemon, its security, the attack figures) and how to work on it
 * (the demo project, tests, benchmarks): the extension's page points to them,
 * and the .vsix has no room for them (at most 300 KB, test/e2e/package.test.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const MARKER = '<!-- The README packaged in the .vsix ends here';
const readme = readFileSync('README.md', 'utf8');
const end = readme.indexOf(MARKER);
if (end < 0) throw new Error(`README.md has no line starting "${MARKER}": the packaged README would be all of it`);
mkdirSync('dist', { recursive: true });
writeFileSync(
  'dist/README.md',
  `${readme.slice(0, end).trimEnd()}\n\n## More\n\nHow it works inside (the daemon, its security model, recovery after a crash, the attacks the test suite makes), the demo project, the tests and the benchmarks are in the README of the extension's source repository.\n`,
);
