/**
 * shared-db-drift: projects sharing one database whose migrations differ (a
 * migration one has and another lacks, or the same one written differently).
 * Starting one of them, or migrating, can break the shared schema: an error,
 * naming the projects, apps and migrations. Read from the migration files,
 * so it holds in any workspace.
 */
import * as path from 'node:path';
import type { DoctorFinding } from '../../protocol/protocol';
import { listed } from '../../sentence';
import { readMigrations } from '../../sharedDb/migrationFiles';
import { schemaDrift } from '../../sharedDb/schemaDrift';
import type { MigrationDrift, ProjectMigrations } from '../../sharedDb/schemaDrift';
import type { DoctorCheck } from '../doctorCheck';

function described(drift: MigrationDrift): string {
  return drift.differs ? `${drift.migration} differs` : `${drift.migration} is missing in ${listed(drift.missingIn)}`;
}

export function sharedDbDriftFinding(projects: readonly ProjectMigrations[]): DoctorFinding | null {
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

export const sharedDbDrift: DoctorCheck = {
  code: 'shared-db-drift',
  run: async (context) => {
    const others = await context.sharedWith();
    if (others.length === 0) return [];
    const roots = [context.root, ...others];
    const projects = await Promise.all(roots.map(async (root) => ({ name: path.basename(root), migrations: await readMigrations(root) })));
    const finding = sharedDbDriftFinding(projects);
    return finding ? [finding] : [];
  },
};
