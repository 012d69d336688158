/**
 * shared-db-drift: projects sharing one database whose migrations differ (a
 * migration one has and another lacks, or the same one written differently;
 * see sharedDb/schemaGuard.ts). Where the project's code may run, also what
 * the database itself says: migrations of this project's apps it has applied
 * that this project lacks (another project migrated further), and models with
 * changes no migration holds.
 */
import * as path from 'node:path';
import type { DoctorFinding } from '../../../protocol/protocol';
import { listed } from '../../base/sentence';
import { modelsAhead, readApplied } from '../../sharedDb/liveSchema';
import { readMigrations } from '../../sharedDb/migrationFiles';
import { groupDrift } from '../../sharedDb/schemaGuard';
import type { DoctorCheck, DoctorContext } from '../doctorCheck';

const drift = (name: string, message: string, apps: string[], migrations: string[]): DoctorFinding => ({
  code: 'shared-db-drift',
  severity: 'error',
  message,
  file: null,
  line: null,
  projects: [name],
  apps,
  migrations,
});

/** Migrations of this project's own apps that `applied` (the database's) has and its files lack. */
export function aheadOfFiles(own: ReadonlyMap<string, ReadonlyMap<string, string>>, applied: readonly string[]): string[] {
  return applied.filter((migration) => {
    const [app, name] = migration.split('.', 2);
    return own.has(app) && !own.get(app)?.has(name);
  });
}

async function liveFindings(context: DoctorContext): Promise<DoctorFinding[]> {
  const python = (await context.interpreter().catch(() => null))?.path;
  if (!python) return []; // the interpreter check says why
  const name = path.basename(context.root);
  const [own, applied, ahead] = await Promise.all([
    readMigrations(context.root),
    readApplied(context.projectCode, python, context.root),
    modelsAhead(context.projectCode, python, context.root),
  ]);
  const findings: DoctorFinding[] = [];
  if (!(applied instanceof Error)) {
    const missing = aheadOfFiles(own, applied);
    if (missing.length > 0) {
      const apps = [...new Set(missing.map((m) => m.split('.')[0]))];
      findings.push(
        drift(
          name,
          `The shared database has ${listed(missing)} applied, which ${name} lacks: another project migrated it further, so bring ${name} to the same migrations before starting it.`,
          apps,
          missing,
        ),
      );
    }
  }
  if (ahead) {
    findings.push(
      drift(
        name,
        `${name}'s models have changes no migration holds (makemigrations --check): make the migration and share it with the other projects before running them on the shared database.`,
        [],
        [],
      ),
    );
  }
  return findings;
}

export const sharedDbDrift: DoctorCheck = {
  code: 'shared-db-drift',
  run: async (context) => {
    const others = await context.sharedWith();
    if (others.length === 0) return [];
    const files = await groupDrift([context.root, ...others]);
    const live = context.trusted ? await liveFindings(context) : [];
    return [...(files ? [files] : []), ...live];
  },
};
