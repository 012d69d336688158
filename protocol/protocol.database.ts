/**
 * Projects on one database: who shares it, migrating it, and populating the Sites table.
 */
import { RequestType } from './wire';
import type { ProjectParams, ProjectRef } from './protocol.project';

/** Another project using the same database as the one asked about. */
export interface SharedProject extends ProjectRef {
  /** Listed under `sharedDatabase` in the project's multisite.json (else found by its database settings or named by a client). */
  declared: boolean;
}

export interface DatabaseGroup {
  project: ProjectRef;
  /** The other projects on this project's database, by path; empty when it has it to itself. */
  sharedWith: SharedProject[];
}

/** client -> daemon: the projects sharing this one's database (declared in multisite.json, or found by their settings among the open ones). */
export namespace GetDatabaseGroup {
  export const method = 'project/databaseGroup' as const;
  export const type = new RequestType<ProjectParams, DatabaseGroup, void>(method);
}

export interface MigrateResult {
  project: ProjectRef;
  /** What `manage.py migrate` printed (its last 64 KB); each line was sent as a ServerLog line too. */
  output: string;
  elapsedMs: number;
}

/**
 * client -> daemon: apply the project's migrations to its database (`manage.py migrate --noinput`, in
 * its web service for the compose runner). Refused (SchemaDrift, no confirmation possible) while the
 * projects sharing the database have other migrations: migrating then is what breaks the shared schema;
 * refused (ProjectBusy) while another run of the project's code writes its database (PopulateSites).
 */
export namespace Migrate {
  export const method = 'project/migrate' as const;
  export const type = new RequestType<ProjectParams, MigrateResult, void>(method);
}

export interface PopulateResult {
  project: ProjectRef;
  /** What the two commands printed (the last 64 KB of each); each line was sent as a ServerLog line too. */
  output: string;
  /** The rows of django-multisite-plus's table as Django was asked again afterwards; null when that read failed. */
  rows: number | null;
  elapsedMs: number;
}

/**
 * client -> daemon: write the sites the settings declare into django-multisite-plus's table as its
 * deployment does (`manage.py multisite_plus_populate_sites`, then `multisite_plus_rewrite_domains`;
 * in its web service for the compose runner), then ask Django for the sites again (clients that opened
 * the project get SitesChanged). Refused (ProjectBusy) while another run of the project's code writes
 * its database (migrate, another populate); PopulateFailed when a command fails.
 */
export namespace PopulateSites {
  export const method = 'project/populateSites' as const;
  export const type = new RequestType<ProjectParams, PopulateResult, void>(method);
}
