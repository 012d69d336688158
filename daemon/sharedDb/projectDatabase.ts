/**
 * One open project as the shared-database side of the daemon sees it
 * (sharedDatabases.ts): its name, the projects its multisite.json says share
 * its database, which database its settings resolve to, and `migrate` run
 * with what serves it. The session's facet for sharing: the session decides
 * what is served, this only answers for the database.
 */
import type { LogLine, ProjectRef } from '../protocol/protocol';
import type { RunnerKind } from '../runners/runner';
import type { ProjectSites } from '../sites/projectSites';
import { migrateCommand, runMigrate } from './migrate';
import type { MigrateRun } from './migrate';
import type { SharingProject } from './sharedDatabases';

/** What the facet needs of its session, read when it is needed. */
export interface ProjectDatabaseContext {
  readonly root: string;
  readonly sites: ProjectSites;
  runnerKind(): RunnerKind;
  isServing(): boolean;
  log(line: LogLine): void;
}

export class ProjectDatabase implements SharingProject {
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
    return runMigrate(command, (stream, text) => this.context.log({ root, stream, text }));
  }
}
