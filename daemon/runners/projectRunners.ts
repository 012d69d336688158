/**
 * Makes one project's runners: the one for its server, on the project's
 * port, and one per warm backend behind the proxy, on any free port, with
 * each line it logs labelled with the site it serves. The runner kind, the
 * interpreter and the port are asked for at each make and start, as the
 * project's files and its client's preferences may change between them.
 */
import type { LogLine } from '../../protocol/protocol';
import type { Runner, RunnerEvents, RunnerFactory, RunnerKind } from './runner';

/** What a project's runners need of its session. */
export interface ProjectRunnersContext {
  readonly root: string;
  readonly factory: RunnerFactory;
  runnerKind(): RunnerKind;
  /** The project's interpreter's path. */
  interpreter(): Promise<string>;
  /** The interpreter to start with before the search answered. */
  interpreterToStart(): Promise<string>;
  /** The settings module the project runs with (sites/settingsLocation.ts). */
  settingsModule(): string | null;
  /** The settings module the person chose, null: none (sites/settingsLocation.ts `chosen`). */
  chosenSettingsModule(): string | null;
  /** The port the project prefers. */
  port(): number;
  log(line: LogLine): void;
}

/** What the caller of a make reports itself; the lines and notes go to the project's log. */
export type ServerEvents = Pick<RunnerEvents, 'spawned' | 'exited'>;

export class ProjectRunners {
  constructor(private readonly context: ProjectRunnersContext) {}

  /** A runner for the project's one server, on the port the project prefers. */
  server(events: ServerEvents): Runner {
    const root = this.context.root;
    return this.make(() => this.context.port(), {
      ...events,
      log: (stream, text) => this.context.log({ root, stream, text }),
      note: (text) => this.context.log({ root, stream: 'daemon', text }),
    });
  }

  /** A runner of its own for a backend behind the proxy: any free port, its lines labelled `label` (what it serves). */
  backend(label: string, events: ServerEvents): Runner {
    const root = this.context.root;
    return this.make(() => 0, {
      ...events,
      log: (stream, text) => this.context.log({ root, stream, text, source: label }),
      note: (text) => this.context.log({ root, stream: 'daemon', text, source: label }),
    });
  }

  private make(preferredPort: () => number, events: RunnerEvents): Runner {
    return this.context.factory(this.context.runnerKind(), {
      root: this.context.root,
      interpreter: () => this.context.interpreter(),
      interpreterToStart: () => this.context.interpreterToStart(),
      settingsModule: () => this.context.settingsModule(),
      chosenSettingsModule: () => this.context.chosenSettingsModule(),
      preferredPort,
      events,
    });
  }
}
