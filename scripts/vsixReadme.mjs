/**
 * The README packaged in the .vsix (`vsce package --readme-path`): README.md up
 * to its marker, what a person using the extension reads (the settings' and the
 * CLI's reference told in a few words: SHORTENED), without how it works
 * inside (the daemon, its security, the attack figures) and how to work on it
 * (the demo project, tests, benchmarks): the extension's page points to them,
 * and the .vsix has no room for them (at most 300 KB, test/e2e/package.test.ts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const MARKER = '<!-- The README packaged in the .vsix ends here';
/**
 * Reference sections told in a few words in the .vsix (the source README has them whole): each from its
 * heading to the next heading of its level or above. The settings are described in VS Code's own
 * Settings editor (package.json carries their descriptions), the CLI by its --help, and the tooltip
 * shows where the settings module was found.
 */
const SHORTENED = new Map([
  [
    '### Where the project and its settings are',
    "A project is a folder with `manage.py` (a workspace folder, or one level down). Its settings module is your choice (`multisiteLocal.settingsModule`, `--settings`), else `multisite.json`'s `settings`, `.env-local`/`.env`, `manage.py`, then pytest-django's configuration; its file is looked for where Python would find it (`sys.path` edits in `manage.py`, the src layout, editable installs). The project's tooltip, `sites` and `status` show the module in use, where it was named, and the others.",
  ],
  [
    '### Settings',
    "Every setting is described in VS Code's Settings editor under *Django Multi-Site Local*; where a project's `multisite.json` says the same (port, warm sites, routing, sites' ports, settings module), it wins.",
  ],
  [
    '## Using it from a terminal',
    'The same daemon serves the `multisite-local` CLI (`sites`, `switch`, `open`, `status`, `start`, `restart`, `stop`, `debug`, `mode`, `hosts`, `cleanup`, `doctor`, `migrate`, `populate`), so the extension and the terminal see the same state; `multisite-local --help` lists every command and option.',
  ],
]);
const readme = readFileSync('README.md', 'utf8');
const end = readme.indexOf(MARKER);
if (end < 0) throw new Error(`README.md has no line starting "${MARKER}": the packaged README would be all of it`);
let packaged = readme.slice(0, end);
for (const [heading, words] of SHORTENED) {
  const start = packaged.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "${heading}" section before "${MARKER}"`);
  const level = heading.split(' ')[0];
  const next = packaged.slice(start + heading.length + 2).search(new RegExp(`^#{1,${level.length}} `, 'm'));
  const stop = next < 0 ? packaged.length : start + heading.length + 2 + next;
  packaged = `${packaged.slice(0, start)}\n${heading}\n\n${words}\n\n${packaged.slice(stop)}`;
}
mkdirSync('dist', { recursive: true });
writeFileSync(
  'dist/README.md',
  `${packaged.trimEnd()}\n\n## More\n\nThe settings' and the CLI's reference, how it works inside, the demo project, the tests and the benchmarks are in the README of the extension's source repository.\n`,
);
