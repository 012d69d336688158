/** `sites`: the project's sites and their domains, with what stood in the way of reading them. */
import { nothingFound } from '../client/sitesSearchText';
import { expectArgs, openProject, withDaemon } from './cliContext';
import type { Command } from './cliContext';
import { print } from './cliOutput';
import { formatSites, hasConfigErrors, printDiagnostics } from './cliText';
import { describeSettings } from './settingsText';

/** `sites` found no site in a project it could read (README: Exit codes). */
export const EXIT_NO_SITES = 3;

export const sites: Command = async (args, options) => {
  expectArgs(args, 0, 'sites [--refresh] [--project DIR] [--json]');
  const result = await withDaemon(true, (link) => openProject(link, options));
  if (!options.json) printDiagnostics(result);
  // Scripts and CI read a project that cannot be served from the exit code, with or without --json.
  if (hasConfigErrors(result)) process.exitCode = 1;
  else if (nothingFound(result)) process.exitCode = EXIT_NO_SITES;
  print(options.json, result, [formatSites(result), describeSettings(result.settings)].filter(Boolean).join('\n'));
};
