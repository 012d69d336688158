/**
 * Where projects sharing one database disagree about its schema: per app,
 * a migration some have and others lack, or one whose file differs. Pure.
 */
import type { MigrationSet } from './migrationFiles';

export interface ProjectMigrations {
  /** For people: the project's folder name. */
  name: string;
  migrations: MigrationSet;
}

export interface MigrationDrift {
  app: string;
  /** `app.name` */
  migration: string;
  /** Projects that lack it (by name). */
  missingIn: string[];
  /** Set when every project has it but their files differ. */
  differs: boolean;
}

/** Every app any project has a migration for; per migration, who lacks it or whether the files differ. */
export function schemaDrift(projects: readonly ProjectMigrations[]): MigrationDrift[] {
  const apps = [...new Set(projects.flatMap((p) => [...p.migrations.keys()]))].sort();
  const drift: MigrationDrift[] = [];
  for (const app of apps) {
    const names = [...new Set(projects.flatMap((p) => [...(p.migrations.get(app)?.keys() ?? [])]))].sort();
    for (const name of names) {
      const hashes = projects.map((p) => p.migrations.get(app)?.get(name));
      const missingIn = projects.filter((_, i) => hashes[i] === undefined).map((p) => p.name);
      const present = hashes.filter((h): h is string => h !== undefined);
      const differs = missingIn.length === 0 && new Set(present).size > 1;
      if (missingIn.length > 0 || differs) drift.push({ app, migration: `${app}.${name}`, missingIn, differs });
    }
  }
  return drift;
}
