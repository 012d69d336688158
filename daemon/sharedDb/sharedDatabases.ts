/**
 * What the daemon does for projects that share one database: says which
 * projects share a project's database, guards a start against a group whose
 * migrations differ, and runs `migrate`, refused outright on such a group and
 * one at a time (two migrations on one database at once would race on its
 * schema; the daemon cannot always tell two databases apart, so it never
 * overlaps any two).
 */
import * as path from 'node:path';
import { DaemonError } from '../daemonError';
import { DaemonErrorCode } from '../protocol/protocol';
import type { DatabaseGroup, MigrateResult, ProjectRef } from '../protocol/protocol';
import { SerialQueue } from '../serialQueue';
import { asClause } from '../sentence';
import type { MigrateRun } from './migrate';
import { groupDrift } from './schemaGuard';
import { sharedProjects } from './sharedProjects';
import type { FoundProject, OpenProject } from './sharedProjects';

export interface SharingProject extends OpenProject {
  readonly isServing: boolean;
  /** multisite.json's `sharedDatabase`, as written (relative to the project). */
  declaredSharing(): readonly string[];
  ref(): ProjectRef;
  migrate(): Promise<MigrateRun>;
}

export class SharedDatabases {
  private readonly migrations = new SerialQueue();

  constructor(private readonly open: () => readonly SharingProject[]) {}

  /** The other projects on `project`'s database: `named` by a client, its multisite.json's, the open ones on the same database. */
  async sharedWith(project: SharingProject, named: readonly string[] = []): Promise<string[]> {
    return (await this.found(project, named)).map((p) => p.root);
  }

  private found(project: SharingProject, named: readonly string[] = []): Promise<FoundProject[]> {
    return sharedProjects(project, named, project.declaredSharing(), this.open());
  }

  async group(project: SharingProject): Promise<DatabaseGroup> {
    const byRoot = new Map(this.open().map((p) => [p.root, p]));
    const sharedWith = (await this.found(project)).map(({ root, declared }) => ({
      root,
      name: byRoot.get(root)?.ref().name ?? path.basename(root),
      declared,
    }));
    return { project: project.ref(), sharedWith };
  }

  /**
   * The schema guard: a project that starts (it serves nothing yet) while the projects sharing its
   * database have other migrations is refused, unless the person confirmed. Switching a project
   * that already serves is never held up (nor slowed: nothing is read then).
   */
  async guardStart(project: SharingProject, confirmed: boolean): Promise<void> {
    if (confirmed || project.isServing) return;
    const drift = await groupDrift([project.root, ...(await this.sharedWith(project))]);
    if (drift) throw new DaemonError(DaemonErrorCode.SchemaDrift, drift.message);
  }

  /** `manage.py migrate` for `project`, unless its group's migrations differ (then no confirmation helps). */
  async migrate(project: SharingProject): Promise<MigrateResult> {
    const drift = await groupDrift([project.root, ...(await this.sharedWith(project))]);
    if (drift) throw new DaemonError(DaemonErrorCode.SchemaDrift, `Not migrating ${project.ref().name}: ${drift.message}`);
    const started = Date.now();
    const run = await this.migrations.run(() => project.migrate());
    if (run.code !== 0) {
      const why = run.lastLine ? asClause(run.lastLine) : `it exited with ${run.code ?? 'a signal'}`;
      throw new DaemonError(DaemonErrorCode.MigrateFailed, `manage.py migrate failed for ${project.ref().name}: ${why}.`);
    }
    return { project: project.ref(), output: run.output, elapsedMs: Date.now() - started };
  }
}
