/**
 * `npm run test:vscode`: runs the extension-host suite in desktop VS Code
 * downloaded by @vscode/test-electron (needs internet access, so it is not
 * part of `npm test`; the e2e suite runs the same tests in code-server).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { copyDemo, REPO_ROOT } from '../support/demoProject';
import { tempFolder } from '../support/tempProject';

async function main(): Promise<void> {
  const workspace = copyDemo();
  const home = tempFolder('home');
  process.env.MULTISITE_LOCAL_HOME = home;
  // Never the machine's own hosts file.
  process.env.MULTISITE_LOCAL_HOSTS_FILE = path.join(home, 'hosts');
  writeFileSync(process.env.MULTISITE_LOCAL_HOSTS_FILE, '127.0.0.1\tlocalhost\n'); // a missing hosts file is refused
  try {
    await runTests({
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'dist', 'test', 'extensionTests.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } finally {
    // The daemon outlives the VS Code window it served: stop it.
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'daemon', 'stop'], { env: process.env, stdio: 'inherit' });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
