/**
 * Hosts-mode policy, in one place: which entries a project gets and the
 * warnings that go with them, the port its server takes (80 when this process
 * can have it, else the usual one, said why), the compose file's port edit
 * and its restore, and putting everything back when entering fails part way.
 * Used by the session's mode changes and by the `hosts apply` request.
 */
import * as path from 'node:path';
import { composeFilePath, readComposeFile } from '../compose/composeFile';
import type { ComposePortEdits } from '../compose/composePortEdits';
import { findWebPort } from '../compose/composePorts';
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { SitesResult } from '../../protocol/protocol';
import { choosePort } from '../runners/freePort';
import type { RunnerKind } from '../runners/runner';
import { endSentence } from '../base/sentence';
import type { AppliedHosts, HostsEntries } from './hostsEntries';
import { hostsModeWarnings } from './hostsModeWarnings';

/** What the daemon owns globally that hosts mode changes: hosts entries and compose port edits. */
export interface HostsModeResources {
  hosts: HostsEntries;
  composePorts: ComposePortEdits;
}

/** A mode change as requested: hosts mode always names its hosts file. */
export type ModeChange = { mode: 'env' } | { mode: 'hosts'; hostsFile: string };

/** A project in hosts mode: where its entries are, and what it was told about them (grows while its server starts). */
export interface HostsModeState {
  file: string;
  notes: string[];
}

/** The project a mode change is for. */
export interface HostsModeProject {
  root: string;
  sites: SitesResult;
  runner: RunnerKind;
  /** The port the project prefers when 80 cannot be had. */
  preferredPort: number;
  log(text: string): void;
}

/** What entering hosts mode asks of the session, in order. */
export interface EnterSteps {
  /** The project is in hosts mode now (before its server restarts). */
  entered(state: HostsModeState): void;
  /** Restarts the server for every site; `port` gives the port a local server must take. */
  serve(port?: () => Promise<number>): Promise<void>;
  /** Entering failed and the outside changes are undone: put the session back as it was. */
  rollback(): Promise<void>;
}

/** Every local domain of every site: what hosts mode points at this machine. */
export function localNames(sites: SitesResult): string[] {
  return [...new Set(sites.sites.flatMap((s) => s.domains.local))];
}

/** Points the project's local domains at this machine in `file`; notes = the project's own conflicts, then the file's. */
export async function applyHostsEntries(
  hosts: HostsEntries,
  file: string,
  project: { root: string; sites: SitesResult },
  dryRun = false,
): Promise<AppliedHosts> {
  const applied = await hosts.apply(file, project.root, localNames(project.sites), dryRun);
  return { ...applied, notes: [...hostsModeWarnings(project.sites, project.root), ...applied.notes] };
}

/**
 * Puts the file `applied` changed back as it was: nothing to do when the block was already
 * there as it is (applied by hand, or by an earlier hosts mode), the block's earlier names
 * when it had others, else no block.
 */
async function undoHostsEntries(hosts: HostsEntries, applied: AppliedHosts, root: string): Promise<void> {
  if (!applied.changed) return;
  if (applied.previous) await hosts.apply(applied.file, root, applied.previous);
  else await hosts.remove(applied.file, root);
}

/** Whether this process can listen on port 80 (free, and not privileged for us). */
const port80IsFree = async (): Promise<boolean> => (await choosePort(80)) === 80;

/** The port for a local server in hosts mode: 80 (no port in URLs) when it can be had, else the usual one, said why. */
async function hostsModePort(preferred: number, notes: string[]): Promise<number> {
  if (await port80IsFree()) return 80;
  const port = await choosePort(preferred);
  notes.push(`Port 80 is taken or needs privileges here, so the sites' URLs carry :${port}.`);
  return port;
}

/** A compose project's web port as hosts mode finds it. */
interface ComposeWebPort {
  file: string;
  published: number | null;
}

/**
 * The compose file's web port, before anything changes: a file whose web port cannot be found
 * is refused here in its own sentence (the compose runner could not serve it either), rather than
 * after the hosts entries were written and the server stopped. Null without a compose file.
 */
async function composeWebPort(root: string): Promise<ComposeWebPort | null> {
  const compose = await readComposeFile(root);
  if (!compose) return null;
  const found = findWebPort(compose.text, path.basename(compose.file));
  if (!found.ok) throw new DaemonError(DaemonErrorCode.ConfigInvalid, endSentence(`Hosts mode was not entered, and nothing was changed: ${found.reason}`));
  return { file: compose.file, published: found.port.published };
}

/** Compose: publish the web service on 80 when 80 is free, else keep its port and say so. True when this edited the file. */
async function composeOn80(resources: HostsModeResources, web: ComposeWebPort | null, notes: string[]): Promise<boolean> {
  if (!web || web.published === 80 || resources.composePorts.isEdited(web.file)) return false;
  const name = path.basename(web.file);
  if (!(await port80IsFree())) {
    notes.push(`Port 80 is taken or needs privileges here, so ${name} keeps port ${web.published} and the sites' URLs carry it.`);
    return false;
  }
  await resources.composePorts.publishOn80(web.file);
  notes.push(`${name}: the web service is published on port 80 while in hosts mode (restored on leaving it or on cleanup).`);
  return true;
}

async function composeRestore(resources: HostsModeResources, project: HostsModeProject): Promise<void> {
  // Not parsed here: leaving hosts mode is never refused, whatever the file holds now (restore checks it).
  const file = await composeFilePath(project.root);
  if (!file) return;
  const { note } = await resources.composePorts.restore(file);
  if (note) project.log(note);
}

/**
 * Hosts mode: entries for every local domain, no forced SITE_ID, port 80 when
 * possible. A change that fails part way is rolled back whole: the hosts file
 * as it was before the attempt, the compose port, then the session (mode and
 * server) through `steps.rollback`.
 */
export async function enterHostsMode(
  resources: HostsModeResources,
  project: HostsModeProject,
  file: string,
  previous: HostsModeState | null,
  steps: EnterSteps,
): Promise<void> {
  const web = project.runner === 'compose' ? await composeWebPort(project.root) : null;
  const applied = await applyHostsEntries(resources.hosts, file, project);
  const state: HostsModeState = { file: applied.file, notes: applied.notes };
  let composeEdited = false;
  try {
    steps.entered(state);
    if (project.runner === 'compose') {
      composeEdited = await composeOn80(resources, web, state.notes);
      await steps.serve();
    } else {
      await steps.serve(() => hostsModePort(project.preferredPort, state.notes));
    }
  } catch (error) {
    project.log(`Hosts mode could not start, so everything was put back: ${(error as Error).message}`);
    await undoHostsEntries(resources.hosts, applied, project.root).catch((e: Error) => project.log(e.message));
    if (composeEdited) await composeRestore(resources, project).catch((e: Error) => project.log(e.message));
    await steps.rollback();
    throw error;
  }
  // Moved to another hosts file: the old one no longer needs our entries.
  if (previous && previous.file !== applied.file) await resources.hosts.remove(previous.file, project.root);
}

/** Takes the project's entries out and puts its compose port back; the session then serves in SITE_ID mode. */
export async function leaveHostsMode(resources: HostsModeResources, project: HostsModeProject, current: HostsModeState | null): Promise<void> {
  if (current) await resources.hosts.remove(current.file, project.root);
  if (project.runner === 'compose') await composeRestore(resources, project);
}
