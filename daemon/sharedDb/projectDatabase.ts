/**
 * One open project as the shared-database side of the daemon sees it
 * (sharedDatabases.ts): its name, the projects its multisite.json says share
 * its database, which database its settings resolve to, and `migrate` and
 * Populate Sites run with what serves it, one at a time (projectWrites.ts).
 * The session's facet for sharing: the session decides what is served, this
 * only answers for the database.
 */
import * as path from 'node:path';
import type { LogLine, ProjectRef } from '../../protocol/protocol';
import type { ProjectCode } from '../runners/projectCode';
import type { RunnerKind } from '../runners/runner';
import type { SiteConfig } from '../sites/siteConfig';
import type { ProjectSites } from '../sites/projectSites';
import { manageCommand } from '../runners/manageRun';
import { runPopulate } from '../sites/populateSites';
import { migrateCommand, runMigrate } from './migrate';
import type { MigrateRun } from './migrate';
import { ProjectWrites } from './projectWrites';
import type { PopulatedRun, SharingProject } from './sharedDatabases';
import { realFolder } from './sharedProjects';

/** What the facet needs of its session, read when it is needed. */
export interface ProjectDatabaseContext {
  readonly root: string;
  readonly sites: ProjectSites;
  /** Runs migrate and the populate commands journaled, as the daemon's servers are. */
  readonly projectCode: ProjectCode;
  runnerKind(): RunnerKind;
  isServing(): boolean;
  log(line: LogLine): void;
}

export class ProjectDatabase implements SharingProject {
  /** The folders `sharedDatabase` names, resolved once per read of the project's files (every other project's start asks). */
  private shared: { config: SiteConfig; folders: Promise<string[]> } | null = null;
  /** The one run of its code writing its database (migrate, Populate Sites). */
  readonly writes = new ProjectWrites();

  constructor(private readonly context: ProjectDatabaseContext) {}

  get root(): string {
    return this.context.root;
  }

  get isServing(): boolean {
    return this.context.isServing();
  }

  ref(): ProjectRef {
    return this.context.sites.get().project;
  }

  /** The projects its multisite.json says share its database (`sharedDatabase`, relative to it). */
  declaredSharing(): readonly string[] {
    return this.context.sites.get().options.sharedDatabase;
  }

  /**
   * The real folders its `sharedDatabase` names, resolved once per read of its files; none before the first read
   * (another project's start must not fail on one still opening). A name that is no folder yet is looked up again
   * next time: the project it names may be created and opened later.
   */
  sharedFolders(): Promise<string[]> {
    const config = this.context.sites.current;
    if (!config) return Promise.resolve([]);
    if (this.shared?.config !== config) this.shared = { config, folders: this.resolve(config) };
    return this.shared.folders;
  }

  private async resolve(config: SiteConfig): Promise<string[]> {
    const folders = await Promise.all(config.options.sharedDatabase.map((d) => realFolder(path.resolve(this.root, d))));
    if (folders.includes(null) && this.shared?.config === config) this.shared = null;
    return folders.filter((f): f is string => f !== null);
  }

  /** Which database the project's settings resolve to, or null when unknown (sharedDb/). */
  databaseKey(): Promise<string | null> {
    return this.context.sites.databaseKey();
  }

  /**
   * Applies the project's migrations to its database, with the interpreter that serves it (or in its
   * web service under compose), its output in the project's log. The caller guards the shared schema.
   */
  async migrate(): Promise<MigrateRun> {
    const { root, sites } = this.context;
    const command = await migrateCommand(this.context.runnerKind(), root, async () => (await sites.interpreter()).path);
    this.context.log({ root, stream: 'daemon', text: `Running ${command.args.join(' ')}` });
    return runMigrate(this.context.projectCode, command, (stream, text) => this.context.log({ root, stream, text }));
  }

  /**
   * Writes the sites its settings declare into django-multisite-plus's table (sites/populateSites.ts), its
   * output in the project's log, then asks Django for the sites again; `rows`: the table's rows then.
   */
  async populate(): Promise<PopulatedRun> {
    const { root, sites } = this.context;
    const commandFor = (args: readonly string[]) => manageCommand(this.context.runnerKind(), root, async () => (await sites.interpreter()).path, args);
    const run = await runPopulate(this.context.projectCode, commandFor, (stream, text) => this.context.log({ root, stream, text }));
    if (run.code !== 0) return { ...run, rows: null };
    const rows = (await sites.readAgain()).django?.sites.multisitePlus?.length ?? null;
    return { ...run, rows };
  }
}
