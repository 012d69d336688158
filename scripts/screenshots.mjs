// Refreshes the README's pictures (media/*.png) from the same real-VS-Code run
// as the e2e test, which otherwise writes them to test-results/screenshots.
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['mocha', '--config', 'test/mocharc.e2e.json', '--grep', 'the Sites view in real VS Code'], {
  stdio: 'inherit',
  env: { ...process.env, MULTISITE_LOCAL_SCREENSHOTS_DIR: 'media' },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
