/**
 * What the daemon does for projects that share one database: says which
 * projects share a project's database, guards a start against a group whose
 * migrations differ, and runs `migrate`, refused outright on such a group, and
 * Populate Sites. Both are refused while the project's code already writes its
 * database (projectWrites.ts), and run one at a time across projects (two
 * migrations on one database at once would race on its schema, a populate
 * during one would meet tables half altered; the daemon cannot always tell two
 * databases apart, so it never overlaps any two).
 */
import * as path from 'node:path';
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { DatabaseGroup, MigrateResult, PopulateResult, ProjectRef } from '../../protocol/protocol';
import type { ManageRun } from '../runners/manageRun';
import { SerialQueue } from '../base/serialQueue';
import { asClause } from '../base/sentence';
import type { PopulateRun } from '../sites/populateSites';
import type { MigrateRun } from './migrate';
import type { ProjectWrites } from './projectWrites';
import { groupDrift } from './schemaGuard';
import { sharedProjects } from './sharedProjects';
import type { FoundProject, OpenProject } from './sharedProjects';

/** A populate run, and the rows of django-multisite-plus's table as Django was asked again after it succeeded. */
export interface PopulatedRun extends PopulateRun {
  rows: number | null;
}

/** What a populate is called in the sentence refusing another write meanwhile. */
const POPULATING = 'Populate Sites (manage.py multisite_plus_populate_sites)';

export interface SharingProject extends OpenProject {
  readonly isServing: boolean;
  readonly writes: ProjectWrites;
  /** multisite.json's `sharedDatabase`, as written (relative to the project). */
  declaredSharing(): readonly string[];
  ref(): ProjectRef;
  migrate(): Promise<MigrateRun>;
  populate(): Promise<PopulatedRun>;
}

export class SharedDatabases {
  /** Every write of a database by a project's code (migrate, populate), one at a time. */
  private readonly writes = new SerialQueue();

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
  migrate(project: SharingProject): Promise<MigrateResult> {
    const name = project.ref().name;
    return project.writes.run('manage.py migrate', `Not migrating ${name}`, async () => {
      const drift = await groupDrift([project.root, ...(await this.sharedWith(project))]);
      if (drift) throw new DaemonError(DaemonErrorCode.SchemaDrift, `Not migrating ${name}: ${drift.message}`);
      const started = Date.now();
      const run = await this.writes.run(() => project.migrate());
      if (run.code !== 0) throw new DaemonError(DaemonErrorCode.MigrateFailed, `manage.py migrate failed for ${name}: ${why(run)}.`);
      return { project: project.ref(), output: run.output, elapsedMs: Date.now() - started };
    });
  }

  /** Populate Sites for `project`: django-multisite-plus's commands, then its sites read again. */
  populate(project: SharingProject): Promise<PopulateResult> {
    const name = project.ref().name;
    return project.writes.run(POPULATING, `Not populating the sites of ${name}`, async () => {
      const started = Date.now();
      const run = await this.writes.run(() => project.populate());
      if (run.code !== 0) throw new DaemonError(DaemonErrorCode.PopulateFailed, `${run.command} failed for ${name}: ${why(run)}.`);
      return { project: project.ref(), output: run.output, rows: run.rows, elapsedMs: Date.now() - started };
    });
  }
}

/** Why a run failed, as a clause: its last line, else how it exited. */
function why(run: ManageRun): string {
  return run.lastLine ? asClause(run.lastLine) : `it exited with ${run.code ?? 'a signal'}`;
}
