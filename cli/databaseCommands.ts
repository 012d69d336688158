/**
 * `doctor`, `migrate` and `populate`: what stands in the way of serving a
 * project right (with several --project: whether projects sharing a database
 * have the same migrations), applying a project's migrations, which the daemon
 * refuses while the projects sharing its database have other ones, and writing
 * the sites its settings declare into django-multisite-plus's table. The daemon
 * refuses either write while the other (or the same) runs for the project.
 */
import * as path from 'node:path';
import { Migrate, PopulateSites, RunDoctor } from '../protocol/protocol';
import { expectArgs, openProject, withDaemon } from './cliContext';
import type { Command } from './cliContext';
import { UsageError, print } from './cliOutput';
import { formatElapsed } from './cliText';
import { formatDoctorReport, hasErrors } from './doctorText';
import { interpreterLine } from './interpreterText';

export const doctor: Command = async (args, options) => {
  if (args.length > 1) throw new UsageError('Usage: multisite-local doctor [DIR] [--project DIR ...] [--mode env|hosts] [--hosts-file FILE] [--json]');
  const checked = options.mode;
  if (checked !== undefined && checked !== 'env' && checked !== 'hosts') throw new UsageError(`--mode must be env or hosts, not "${checked}".`);
  const project = args.length === 1 ? path.resolve(args[0]) : options.project;
  const report = await withDaemon(true, async (link) => {
    await openProject(link, { ...options, project });
    return link.connection.sendRequest(RunDoctor.type, { root: project, mode: checked, hostsFile: options.hostsFile, sharedWith: options.sharing });
  });
  const python = interpreterLine(report.interpreter);
  print(options.json, report, python ? `${formatDoctorReport(report)}\n${python}` : formatDoctorReport(report));
  // Scripts and CI read the verdict from the exit code, with or without --json.
  if (hasErrors(report)) process.exitCode = 1;
};

export const migrate: Command = async (args, options) => {
  expectArgs(args, 0, 'migrate [--project DIR] [--json]');
  const result = await withDaemon(true, async (link) => {
    await openProject(link, options);
    if (!options.json) process.stderr.write(`Migrating the database of ${path.basename(options.project)}…\n`);
    return link.connection.sendRequest(Migrate.type, { root: options.project });
  });
  const output = result.output.trimEnd();
  print(options.json, result, `${output ? `${output}\n` : ''}Migrated the database of ${result.project.name} (${formatElapsed(result.elapsedMs)}).`);
};

export const populate: Command = async (args, options) => {
  expectArgs(args, 0, 'populate [--project DIR] [--json]');
  const result = await withDaemon(true, async (link) => {
    await openProject(link, options);
    if (!options.json) process.stderr.write(`Populating the sites of ${path.basename(options.project)}…\n`);
    return link.connection.sendRequest(PopulateSites.type, { root: options.project });
  });
  const output = result.output.trimEnd();
  const rows =
    result.rows === null ? 'Django could not be asked for them again' : `django-multisite-plus's table has ${result.rows} row${result.rows === 1 ? '' : 's'}`;
  print(options.json, result, `${output ? `${output}\n` : ''}Populated the sites of ${result.project.name}: ${rows} (${formatElapsed(result.elapsedMs)}).`);
};
