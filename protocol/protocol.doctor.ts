/**
 * The doctor: what it checks and what it found, each finding one sentence a person can act on.
 */
import { RequestType } from './wire';
import type { ProjectInterpreter, ProjectParams, ProjectRef, RoutingMode } from './protocol.project';

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading a project, pinned to a file and line when known. */
export interface ConfigDiagnostic {
  severity: Severity;
  message: string;
  file: string | null;
  line: number | null;
  /** The doctor check that also reports it (`sources-disagree`, `allowed-hosts`, ...), when one does. */
  code?: DoctorCode;
}

/** What the doctor checks; each code is one check (daemon/doctor/checks/). */
export type DoctorCode =
  | 'forced-site-id'
  | 'site-at-import'
  | 'allowed-hosts'
  | 'csrf-trusted-origins'
  | 'port-taken'
  | 'interpreter'
  | 'docker'
  | 'hosts-file'
  | 'stale-hosts-entries'
  | 'user-hosts-lines'
  | 'sources-disagree'
  | 'shared-db-drift'
  | 'config-error'
  | 'invalid-domain'
  | 'site-port'
  | 'multisite-plus-empty'
  | 'django-setup'
  | 'database'
  | 'django-check'
  | 'no-sites';

/**
 * A remedy a client can apply in one click, because it is safe: `useEnvMode` leaves hosts mode
 * (every site at once, or SITE_ID mode, instead), `cleanUpHosts` removes every hosts block of ours (as `cleanup`),
 * `populateSites` writes the sites the settings declare into django-multisite-plus's empty table
 * (PopulateSites, as a deployment does). Opening the finding's file at its line is always offered
 * where there is one, so it is not listed here.
 */
export interface DoctorFix {
  kind: 'useEnvMode' | 'cleanUpHosts' | 'populateSites';
  /** The button's label, for people: "Leave Hosts Mode". */
  title: string;
}

/** One thing standing in the way of the project being served right, in one sentence a person can act on. */
export interface DoctorFinding {
  code: DoctorCode;
  severity: Severity;
  message: string;
  /** Where to fix it (absolute path), when one file is to blame. */
  file: string | null;
  /** 1-based line in `file`. */
  line: number | null;
  fix?: DoctorFix;
  /** shared-db-drift: the projects sharing the database (folder names), the apps and the migrations (`app.name`) they disagree on. */
  projects?: string[];
  apps?: string[];
  migrations?: string[];
}

export interface DoctorParams extends ProjectParams {
  /** The mode to check the project for (default: its current one); a client asks before changing mode. */
  mode?: RoutingMode;
  /** The hosts file hosts mode would edit (default as SetMode). */
  hostsFile?: string | null;
  /**
   * Other projects (folders) that use the same database, to compare the schema with; added to
   * those multisite.json's `sharedDatabase` lists and those found by their database settings.
   */
  sharedWith?: string[];
}

/**
 * A check that could not run, and why (Django could not be asked: the workspace is not trusted, no
 * interpreter, the read failed; or the check itself failed). Said as its own line wherever findings
 * are shown: "no problems found" is only ever said when every check ran (issue 23).
 */
export interface DoctorNotRun {
  code: DoctorCode;
  /** Why, as a sentence a person can act on. */
  reason: string;
}

export interface DoctorReport {
  project: ProjectRef;
  /** The mode the findings are about. */
  mode: RoutingMode;
  findings: DoctorFinding[];
  /** The Python that runs the project and why it was chosen; null when none was found or its code may not run. */
  interpreter?: ProjectInterpreter | null;
  /** Checks that could not run (empty when every check ran). */
  notRun: DoctorNotRun[];
}

/** client -> daemon: check the project (for `mode`, default its current one); changes nothing. */
export namespace RunDoctor {
  export const method = 'project/doctor' as const;
  export const type = new RequestType<DoctorParams, DoctorReport, void>(method);
}
