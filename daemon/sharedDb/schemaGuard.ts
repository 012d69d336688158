/**
 * The schema guard of projects sharing one database: their migrations (names
 * and content hashes, read from disk) compared, and the difference said as
 * the doctor's `shared-db-drift` finding, naming the projects, apps and
 * migrations. The doctor reports it; a start of a project in a drifting group
 * is refused until the person confirms.
 */
import * as path from 'node:path';
import type { DoctorFinding } from '../../protocol/protocol';
import { listed } from '../base/sentence';
import { readMigrations } from './migrationFiles';
import { schemaDrift } from './schemaDrift';
import type { MigrationDrift, ProjectMigrations } from './schemaDrift';

function described(drift: MigrationDrift): string {
  return drift.differs ? `${drift.migration} differs` : `${drift.migration} is missing in ${listed(drift.missingIn)}`;
}

/** The finding for `projects`' differences, or null when their migrations agree. */
export function driftFinding(projects: readonly ProjectMigrations[]): DoctorFinding | null {
  const drift = schemaDrift(projects);
  if (drift.length === 0) return null;
  const names = projects.map((p) => p.name);
  const shown = drift.slice(0, 4).map(described);
  const more = drift.length > shown.length ? `, and ${drift.length - shown.length} more` : '';
  return {
    code: 'shared-db-drift',
    severity: 'error',
    message: `${listed(names)} share a database but their migrations differ (${shown.join('; ')}${more}): starting one of them or migrating can break the shared schema, so bring them to the same migrations first.`,
    file: null,
    line: null,
    projects: names,
    apps: [...new Set(drift.map((d) => d.app))],
    migrations: drift.map((d) => d.migration),
  };
}

/** Compares the migrations of the projects at `roots` (the first is the one asked about); null when they agree or stand alone. */
export async function groupDrift(roots: readonly string[]): Promise<DoctorFinding | null> {
  if (roots.length < 2) return null;
  const projects = await Promise.all(roots.map(async (root) => ({ name: path.basename(root), migrations: await readMigrations(root) })));
  return driftFinding(projects);
}
