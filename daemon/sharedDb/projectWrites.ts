/**
 * One run of a project's code writing its database at a time (migrate,
 * Populate Sites). A second is refused at once, in a sentence naming the one
 * under way, rather than queued behind it: populating while migrate alters the
 * tables fails half way, and a person who asked twice learns it now, not when
 * the first run ends.
 */
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';

export class ProjectWrites {
  private running: string | null = null;

  /** What writes the database now (`manage.py migrate`), or null. */
  get current(): string | null {
    return this.running;
  }

  /**
   * Runs `job` as the project's one write, named `what`; while another runs, refuses with `refusal`
   * ("Not migrating shop") and what runs.
   */
  async run<T>(what: string, refusal: string, job: () => Promise<T>): Promise<T> {
    if (this.running !== null)
      throw new DaemonError(DaemonErrorCode.ProjectBusy, `${refusal}: ${this.running} is still running for it; try again once it has ended.`);
    this.running = what;
    try {
      return await job();
    } finally {
      this.running = null;
    }
  }
}
