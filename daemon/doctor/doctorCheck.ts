/**
 * The doctor's one extension point: a check looks at one thing that can stand
 * in the way of a project being served right, and says what it found as
 * findings, one sentence each. A new check is a new file in checks/ and one
 * line in doctor.ts. The context holds what checks need, read lazily where
 * reading costs (the hosts file, the interpreter probe), so a check that does
 * not need it pays nothing.
 */
import type { DoctorCode, DoctorFinding, RoutingMode, ServingStrategy } from '../../protocol/protocol';
import type { HostsSurvey } from '../hosts/hostsEntries';
import type { DjangoRead } from '../sites/askDjango';
import type { Interpreter } from '../runners/interpreter';
import type { ProjectCode } from '../runners/projectCode';
import type { RunnerKind } from '../runners/runner';
import type { SiteConfig } from '../sites/siteConfig';

export interface DoctorContext {
  root: string;
  /** The project's sites as last read, with its diagnostics, forced SITE_ID and settings facts. */
  config: SiteConfig;
  /** The mode the findings are about (maybe not the current one: a client asks before changing mode). */
  mode: RoutingMode;
  /** How the project is served in that mode (always `restart` in hosts mode). */
  strategy: ServingStrategy;
  /** Why one server for every site failed its self-check at start, when it did (the strategy is then `siteId`). */
  perRequestRefused?: string | null;
  runner: RunnerKind;
  /** The port the project serves on in SITE_ID mode (multisite.json's, else the client's). */
  port: number;
  /** Ports the project's own server or proxy listens on now: those are no conflict. */
  ownPorts: readonly number[];
  /** Whether the project's code may run (to probe its interpreter): the CLI, a trusted workspace. */
  trusted: boolean;
  /** The interpreter that runs the project; rejects with NoInterpreterError when none can import Django. */
  interpreter(): Promise<Interpreter>;
  /** Runs the project's code journaled, as the daemon's servers are (only where `trusted`). */
  projectCode: ProjectCode;
  /** Django's major version: probed when the project's code may run, else as last found; null when unknown. */
  djangoMajor(): Promise<number | null>;
  /** The hosts file hosts mode edits (or would edit). */
  hostsFile: string;
  /** Our blocks in the hosts file and the user's own lines for this project's names (one read, shared). */
  hostsSurvey(): Promise<HostsSurvey>;
  /** Roots of the projects open in this daemon. */
  openRoots: ReadonlySet<string>;
  /** The other projects that use this project's database (sharedDb/sharedProjects.ts), found once. */
  sharedWith(): Promise<string[]>;
  /**
   * What asking Django (sites/askDjango.ts) gave for the sites read last, once a read under way has
   * landed; null when Django was not asked (the workspace is not trusted).
   */
  djangoRead(): Promise<DjangoRead | null>;
}

/**
 * Thrown by a check that cannot say whether there is a problem (what it looks at could not be
 * read): the doctor lists it as not run, with `reason`, and never says "no problems found".
 */
export class CheckNotRun extends Error {}

export interface DoctorCheck {
  code: DoctorCode;
  run(context: DoctorContext): Promise<DoctorFinding[]>;
}
