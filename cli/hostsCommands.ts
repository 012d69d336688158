/** `mode`, `hosts apply|remove|show` and `cleanup`: routing by domain through the hosts file, and undoing it. */
import { ApplyHosts, CleanUp, RemoveHosts, RunDoctor, SetMode, ShowHosts } from '../protocol/protocol';
import type { HostsEdit } from '../protocol/protocol';
import { modeName } from '../client/modeName';
import { expectArgs, openProject, withDaemon } from './cliContext';
import type { Command, Options } from './cliContext';
import { UsageError, print } from './cliOutput';

export const mode: Command = async (args, options) => {
  const wanted = args[0];
  if (args.length !== 1 || (wanted !== 'env' && wanted !== 'hosts'))
    throw new UsageError('Usage: multisite-local mode env|hosts [--project DIR] [--hosts-file FILE]');
  const warned = new Set<string>();
  const result = await withDaemon(true, async (link) => {
    await openProject(link, options);
    // What the doctor finds against hosts mode; it never blocks the switch.
    if (wanted === 'hosts') {
      const report = await link.connection
        .sendRequest(RunDoctor.type, { root: options.project, mode: 'hosts', hostsFile: options.hostsFile })
        .catch(() => null);
      // Django's own system checks are about the project, not hosts mode: only their errors are said here.
      for (const finding of report?.findings ?? []) if (finding.code !== 'django-check' || finding.severity === 'error') warned.add(finding.message);
    }
    return link.connection.sendRequest(SetMode.type, { root: options.project, mode: wanted, hostsFile: options.hostsFile });
  });
  // Said once the mode changed: a change that was refused says why in one sentence, and nothing else.
  for (const message of warned) process.stderr.write(`warning: ${message}\n`);
  for (const note of result.state.notes) if (!warned.has(note)) process.stderr.write(`warning: ${note}\n`);
  const how = wanted === 'hosts' ? ` (entries in ${result.state.hostsFile})` : '';
  print(options.json, result, `${result.state.project.name} is now in ${modeName(result.state)}${how}${result.url ? `; current site at ${result.url}` : ''}.`);
};

export const hosts: Command = async (args, options) => {
  const sub = args[0];
  if (args.length !== 1 || !['apply', 'remove', 'show'].includes(sub))
    throw new UsageError('Usage: multisite-local hosts apply|remove|show [--dry-run] [--hosts-file FILE]');
  if (sub === 'show') {
    const listing = await withDaemon(true, (link) => link.connection.sendRequest(ShowHosts.type, { hostsFile: options.hostsFile }));
    const text = listing.blocks.length
      ? listing.blocks.map((b) => `${b.root}\n${b.names.map((n) => `  ${n}`).join('\n')}`).join('\n')
      : `No entries of ours in ${listing.file}.`;
    return print(options.json, listing, text);
  }
  const change = await withDaemon(true, async (link) => {
    await openProject(link, options);
    const type = sub === 'apply' ? ApplyHosts.type : RemoveHosts.type;
    return link.connection.sendRequest(type, { root: options.project, hostsFile: options.hostsFile, dryRun: options.dryRun });
  });
  printEdits(options, [change], false);
};

export const cleanup: Command = async (args, options) => {
  expectArgs(args, 0, 'cleanup [--dry-run] [--hosts-file FILE]');
  const changes = await withDaemon(true, (link) => link.connection.sendRequest(CleanUp.type, { hostsFile: options.hostsFile, dryRun: options.dryRun }));
  printEdits(options, changes, true);
};

/** `cleanup` reports a list (one entry per file it looked at); `hosts apply|remove` one edit. */
function printEdits(options: Options, changes: HostsEdit[], asList: boolean): void {
  for (const note of changes.flatMap((c) => c.notes)) process.stderr.write(`warning: ${note}\n`);
  const text = changes
    .map((c) => (options.dryRun ? c.diff || `${c.file}: no change.` : c.changed ? `Updated ${c.file}.` : `${c.file}: already as it should be.`))
    .join('\n');
  print(options.json, asList ? changes : changes[0], text.trimEnd() || 'Nothing to clean up.');
}
