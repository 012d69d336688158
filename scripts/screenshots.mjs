// Refreshes the README's pictures (media/screenshots/*.png) and the walkthrough's
// (media/walkthrough/*.jpg, shipped in the .vsix) from the same real-VS-Code runs
// as the e2e suites, which otherwise write them to test-results/screenshots.
import { spawnSync } from 'node:child_process';

// The suites that take pictures, by title (mocha's config lists every e2e file).
const suites = [
  'the Sites view in real VS Code',
  "a site's actions in real VS Code",
  'the doctor in real VS Code',
  'the doctor in real VS Code, on settings that import a module the interpreter lacks',
  'a Wagtail project’s sites in real VS Code',
  'a django-tenants project’s tenants in real VS Code',
];
const result = spawnSync('npx', ['mocha', '--config', 'test/mocharc.e2e.json', '--grep', suites.join('|')], {
  stdio: 'inherit',
  env: { ...process.env, MULTISITE_LOCAL_SCREENSHOTS_DIR: 'media' },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
