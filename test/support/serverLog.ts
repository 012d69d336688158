/**
 * A project's server log as the extension receives it: a protocol connection
 * to the sandbox's daemon that opened the project and collects every
 * ServerLog line, so a test can read what the server said while the CLI
 * drives it (the daemon sends log lines only to clients that opened the project).
 */
import type { DaemonLink } from '../../client/daemonLink';
import { OpenProject, ServerLog } from '../../protocol/protocol';
import type { DaemonSandbox } from './daemonSandbox';

export interface ServerLogReader {
  /** Every line so far, in order. */
  readonly lines: string[];
  /** Resolves with the first line matching `pattern`; rejects with the lines so far after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  dispose(): void;
}

export async function readServerLog(sandbox: DaemonSandbox): Promise<ServerLogReader> {
  const link: DaemonLink = await sandbox.connect();
  const lines: string[] = [];
  link.connection.onNotification(ServerLog.type, (line) => lines.push(line.text));
  await link.connection.sendRequest(OpenProject.type, { root: sandbox.demo });
  return {
    lines,
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find((line) => pattern.test(line));
        if (found !== undefined) return found;
        if (Date.now() > deadline) throw new Error(`no log line matched ${String(pattern)} in:\n${lines.join('\n')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    dispose: () => link.dispose(),
  };
}
