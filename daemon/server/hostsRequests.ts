/**
 * The requests about hosts entries without a mode change: apply or remove a
 * project's block, list the blocks, and clean up every block of ours (which
 * also takes this daemon's projects out of hosts mode and restores compose
 * ports). Each change is answered with a unified diff.
 */
import { DaemonError } from '../base/daemonError';
import type { FileChange } from '../base/fileChange';
import { unifiedDiff } from '../base/fileDiff';
import { nextTurn } from '../base/eventLoop';
import type { ProjectSession } from '../session/projectSession';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { HostsEdit, HostsListing, HostsParams, ProjectHostsParams } from '../../protocol/protocol';
import { hostsReadyConfig } from '../sites/configGate';
import type { ComposePortEdits } from '../compose/composePortEdits';
import type { HostsEntries } from '../hosts/hostsEntries';
import { requestedHostsFile } from '../hosts/hostsFile';
import { applyHostsEntries } from '../hosts/hostsMode';

export interface HostsRequestContext {
  hosts: HostsEntries;
  composePorts: ComposePortEdits;
  /** The open project at `root` (a sentence when it is not open). */
  session(root: unknown): Promise<ProjectSession>;
  sessions(): Iterable<ProjectSession>;
}

/**
 * A file change as the protocol reports it, with a unified diff: linear in the file's size
 * (fileDiff.ts), but a file can be megabytes, so it waits for a turn of the event loop.
 */
async function edit(change: FileChange, notes: string[] = []): Promise<HostsEdit> {
  if (!change.changed) return { file: change.file, changed: false, diff: '', notes };
  await nextTurn();
  return { file: change.file, changed: true, diff: unifiedDiff(change.file, change.before(), change.after()), notes };
}

/** The answers to the hosts requests (the table is requestTable.ts). */
export function hostsRequests(context: HostsRequestContext) {
  return {
    apply: async ({ root, hostsFile, dryRun }: ProjectHostsParams): Promise<HostsEdit> => {
      const session = await context.session(root);
      const project = { root: session.root, sites: hostsReadyConfig(session.sites()) };
      const applied = await applyHostsEntries(context.hosts, requestedHostsFile(hostsFile), project, dryRun === true);
      return edit(applied, applied.notes);
    },
    remove: async ({ root, hostsFile, dryRun }: ProjectHostsParams): Promise<HostsEdit> => {
      const session = await context.session(root);
      const removed = await context.hosts.remove(requestedHostsFile(hostsFile), session.root, dryRun === true);
      return edit(removed, removed.notes);
    },
    show: async ({ hostsFile }: HostsParams): Promise<HostsListing> => {
      const file = requestedHostsFile(hostsFile);
      return { file, blocks: (await context.hosts.show(file)).map(({ root, names }) => ({ root, names })) };
    },
    cleanUp: ({ hostsFile, dryRun }: HostsParams): Promise<HostsEdit[]> => cleanUp(context, [requestedHostsFile(hostsFile)], dryRun === true),
  };
}

/**
 * Removes every hosts block of ours (any project, any daemon) and takes this
 * daemon's projects out of hosts mode. A file that cannot be cleaned does not
 * stop the others; it is reported after they are done.
 */
async function cleanUp(context: HostsRequestContext, files: string[], dryRun: boolean): Promise<HostsEdit[]> {
  const hosts = await context.hosts.cleanup(files, dryRun);
  // Compose files too: restored below on a real run (leaving hosts mode does it), shown on a dry one.
  const compose = await context.composePorts.restoreAll(true);
  if (!dryRun) {
    for (const session of context.sessions()) {
      if (session.inHostsMode) await session.serving.setMode({ mode: 'env' });
    }
    await context.composePorts.restoreAll();
  }
  if (hosts.failures.length > 0) {
    const done = hosts.changes.filter((c) => c.changed).map((c) => c.file);
    throw new DaemonError(DaemonErrorCode.HostsNotWritable, `${done.length ? `Cleaned ${done.join(', ')}, but ` : ''}${hosts.failures.join(' ')}`);
  }
  return Promise.all([...hosts.changes.map((change) => edit(change)), ...compose.changes.map((change) => edit(change, compose.notes))]);
}
