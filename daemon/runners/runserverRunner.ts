/**
 * The local runner: `manage.py runserver` with the project's interpreter, on
 * the project's port (or a free one, or the one hosts mode asks for). Every
 * server it starts is in the process journal before runserver runs (see
 * gatedSpawn.ts) until its whole process group is gone, so a crashed daemon's
 * successor can stop it.
 */
import { reached } from '../base/debugStop';
import type { ProcessJournal } from '../journal/processJournal';
import { RUNSERVER_MARKER, RunningServer } from './runningServer';
import { startLocalServer } from './localServerStart';
import { READY_TIMEOUT_MS, describeForced } from './runner';
import type { Runner, RunnerContext, Server, StartRequest } from './runner';

export class RunserverRunner implements Runner {
  readonly kind = 'local';

  constructor(
    private readonly context: RunnerContext,
    private readonly journal: ProcessJournal,
  ) {}

  /**
   * Starts with the interpreter to start with (the first that exists, before the search for the one
   * that imports Django has answered); a start that fails with another than the search's answer is
   * made again with that one, so a wrong first guess costs one failed start, never a wrong server.
   */
  async start(request: StartRequest, signal: AbortSignal): Promise<Server> {
    const first = await this.context.interpreterToStart();
    try {
      return await this.startWith(first, request, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      const python = await this.context.interpreter();
      if (python === first) throw error;
      this.context.events.note(`${first} could not start the server; starting it with ${python}, which imports Django`);
      return this.startWith(python, request, signal);
    }
  }

  private async startWith(python: string, request: StartRequest, signal: AbortSignal): Promise<Server> {
    const { root, events } = this.context;
    if (signal.aborted) throw new Error('superseded');
    // The Server for each runserver this start spawned (a taken port means another try).
    const servers = new Map<RunningServer, Server>();
    const answered = await startLocalServer({
      fixedPort: request.port ?? null,
      preferredPort: this.context.preferredPort(),
      signal,
      timeoutMs: READY_TIMEOUT_MS,
      log: (text) => events.note(text),
      discard: (failed) => servers.get(failed)?.stop() ?? Promise.resolve(),
      spawn: (port) => {
        const debugged = request.debug ? `, under debugpy on port ${request.debug.port}` : '';
        const forced = request.perRequest ? `each request's SITE_ID (SITE_ID=${request.siteId} outside requests)` : describeForced(request.siteId);
        events.note(`Starting runserver on port ${port} with ${forced} for ${request.label} using ${python}${debugged}`);
        const running: RunningServer = RunningServer.start({
          root,
          python,
          settingsModule: this.context.settingsModule?.() ?? null,
          port,
          siteId: request.siteId,
          readyHost: request.readyHost?.(port),
          debug: request.debug ?? null,
          perRequest: request.perRequest ?? null,
          record: (pid) => {
            reached('runserver:spawned');
            this.journal.record({ pgid: pid, root, marker: RUNSERVER_MARKER });
          },
          onLog: (stream, text) => events.log(stream, text),
          // Called once the whole group is gone: only then is it safe to forget.
          onUnexpectedExit: (description) => {
            this.journal.forget(running.pid);
            // A server that never answered is reported by the start that waits for it.
            if (!running.ready) return;
            events.exited(
              server,
              `runserver (pid ${running.pid}) ${description} while serving ${request.label}${running.tail()}; the rest of its process group was stopped and port ${port} is free again. Switch to a site to serve it again.`,
            );
          },
        });
        let stopped: Promise<void> | null = null;
        const server: Server = {
          url: running.url,
          pid: running.pid,
          stop: () =>
            (stopped ??= (async () => {
              await running.stop();
              this.journal.forget(running.pid);
              events.note(`Stopped runserver (pid ${running.pid}).`);
            })()),
        };
        servers.set(running, server);
        events.spawned(server);
        return running;
      },
    });
    const server = servers.get(answered);
    if (!server) throw new Error('runserver was never started');
    return server;
  }
}
