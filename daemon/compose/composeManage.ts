/**
 * The project's web service as compose runs it: the compose command line, the
 * compose file and the service that runs Django, each missing one said in a
 * sentence. Also a `manage.py` command run inside that service the way
 * compose's own `run --rm` does it (a one-off container, removed after; the
 * services it depends on, such as the database, are started by compose).
 */
import * as path from 'node:path';
import type { YAMLMap } from 'yaml';
import { findComposeCli } from './composeCli';
import { readComposeFile, webService } from './composeFile';
import type { ComposeFile } from './composeFile';

export interface ComposeWeb {
  /** `docker compose` or `docker-compose`, as argv. */
  cli: string[];
  compose: ComposeFile;
  web: { name: string; service: YAMLMap };
}

export async function composeWebService(root: string): Promise<ComposeWeb> {
  const cli = await findComposeCli();
  if (!cli) throw new Error('neither `docker compose` nor `docker-compose` is installed');
  const compose = await readComposeFile(root);
  if (!compose) throw new Error(`${root} has no docker-compose.yml`);
  const web = webService(compose.doc);
  if (!web) throw new Error(`${path.basename(compose.file)} has no web service`);
  return { cli, compose, web };
}

export interface Command {
  file: string;
  args: string[];
  cwd: string;
}

export async function composeManageCommand(root: string, manageArgs: readonly string[]): Promise<Command> {
  const { cli, compose, web } = await composeWebService(root);
  return { file: cli[0], args: [...cli.slice(1), '-f', compose.file, 'run', '--rm', '-T', web.name, 'python', 'manage.py', ...manageArgs], cwd: root };
}
