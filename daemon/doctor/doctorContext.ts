/**
 * Builds a doctor's context from what the project's session knows (its sites,
 * its serving preferences, its interpreter) and what the daemon owns (the
 * hosts entries, the open projects). Costly facts are read once, on first use.
 */
import type { HostsEntries, HostsSurvey } from '../hosts/hostsEntries';
import { localNames } from '../hosts/hostsMode';
import type { Interpreter } from '../runners/interpreter';
import type { ProjectCode } from '../runners/projectCode';
import type { DjangoRead } from '../sites/askDjango';
import type { DoctorContext } from './doctorCheck';

/** What a project's session tells the doctor (ProjectSession.doctorFacts): the context's own facts, and its sites. */
export type SessionFacts = Pick<DoctorContext, 'root' | 'config' | 'mode' | 'strategy' | 'perRequestRefused' | 'runner' | 'port' | 'ownPorts'> & {
  /** The project's interpreter as its session finds it (ProjectSites). */
  sites: {
    trusted: boolean;
    djangoMajor: number | null;
    interpreter(): Promise<Interpreter>;
    /** What Django said when last asked (null: not asked), and a wait for a read under way. */
    djangoRead: DjangoRead | null;
    settled(): Promise<void>;
  };
};

/** What the daemon tells the doctor. */
export interface DaemonFacts {
  hosts: HostsEntries;
  /** Runs the project's code journaled (the live-schema probes). */
  projectCode: ProjectCode;
  hostsFile: string;
  openRoots: ReadonlySet<string>;
  /** The other projects that use the project's database. */
  sharedWith(): Promise<string[]>;
}

/** Runs `read` on the first call only; later calls share its promise. */
function once<T>(read: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | null = null;
  return () => (result ??= read());
}

export function doctorContext(session: SessionFacts, daemon: DaemonFacts): DoctorContext {
  const { sites } = session;
  const interpreter = once(() => sites.interpreter());
  // A compose project's Django is inside its container: the machine's interpreters say nothing of it.
  const probes = sites.trusted && session.runner === 'local';
  const hostsSurvey = once((): Promise<HostsSurvey> => daemon.hosts.survey(daemon.hostsFile, localNames(session.config)));
  return {
    root: session.root,
    config: session.config,
    mode: session.mode,
    strategy: session.strategy,
    perRequestRefused: session.perRequestRefused,
    runner: session.runner,
    port: session.port,
    ownPorts: session.ownPorts,
    trusted: probes,
    interpreter,
    projectCode: daemon.projectCode,
    djangoMajor: async () => (probes ? ((await interpreter().catch(() => null))?.djangoMajor ?? null) : sites.djangoMajor),
    hostsFile: daemon.hostsFile,
    hostsSurvey,
    openRoots: daemon.openRoots,
    sharedWith: once(() => daemon.sharedWith()),
    // A read of Django's answer under way (an open that showed the files' sites first) lands before it is judged.
    djangoRead: once(async () => {
      await sites.settled();
      return sites.djangoRead;
    }),
  };
}
