/**
 * A `manage.py` command run inside the project's web service, as compose's own
 * `run --rm` does it (a one-off container, removed after; the services it
 * depends on, such as the database, are started by compose when needed).
 */
import * as path from 'node:path';
import { findComposeCli } from './composeCli';
import { readComposeFile, webService } from './composeFile';

export interface Command {
  file: string;
  args: string[];
  cwd: string;
}

export async function composeManageCommand(root: string, manageArgs: readonly string[]): Promise<Command> {
  const cli = await findComposeCli();
  if (!cli) throw new Error('neither `docker compose` nor `docker-compose` is installed');
  const compose = await readComposeFile(root);
  if (!compose) throw new Error(`${root} has no docker-compose.yml`);
  const web = webService(compose.doc);
  if (!web) throw new Error(`${path.basename(compose.file)} has no web service`);
  return { file: cli[0], args: [...cli.slice(1), '-f', compose.file, 'run', '--rm', '-T', web.name, 'python', 'manage.py', ...manageArgs], cwd: root };
}
