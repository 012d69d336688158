/**
 * The README packaged in the .vsix (`vsce package --readme-path`): README.md up
 * to its marker, without the sections for working on this repository (the demo
 * project, development, tests, benchmarks), which an extension's page does not
 * need and the .vsix has no room for (at most 300 KB, test/e2e/package.test.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const MARKER = '<!-- The README packaged in the .vsix ends here';
const readme = readFileSync('README.md', 'utf8');
const end = readme.indexOf(MARKER);
if (end < 0) throw new Error(`README.md has no line starting "${MARKER}": the packaged README would be all of it`);
mkdirSync('dist', { recursive: true });
writeFileSync(
  'dist/README.md',
  `${readme.slice(0, end).trimEnd()}\n\n## Working on the extension\n\nThe demo project, the test suite and the benchmarks are described in the README of the extension's source repository.\n`,
);
