/**
 * How the CLI answers: a result on stdout (text, or JSON with --json); a
 * failure as one sentence on stderr, or with --json as
 * `{"error": {"code", "message"}}` on stdout so scripts read one stream.
 * Exit codes: 0 success, 1 failure, 2 bad usage, with or without --json.
 *
 * The process is never ended with process.exit(): stdout into a pipe is
 * written asynchronously, and exiting cut a 1 MB `sites --json` at 64 KiB.
 * Only process.exitCode is set; Node exits once the output has drained.
 */
import { ResponseError } from '../protocol/wire';
import { DaemonNotRunningError } from '../client/daemonClient';
import { DaemonErrorCode } from '../protocol/protocol';
import type { RecoveryReport } from '../protocol/protocol';
import { DaemonVersionError } from '../client/daemonVersion';
import { UnsafePathError } from '../home/fileOwnership';

/** Bad command line: exit code 2. */
export class UsageError extends Error {}

/** A failure found by the CLI itself, with a code for --json output. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly code = 'failed',
  ) {
    super(message);
  }
}

export function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

/**
 * What the daemon's start-up recovery undid after a daemon stopped unexpectedly, told once (the daemon
 * gives it to the first client that asks). On stderr, with or without --json: stdout stays the
 * command's own answer, which scripts read.
 */
export function tellRecovery(report: RecoveryReport | null): void {
  if (report) process.stderr.write(`multisite-local: ${report.message}\n`);
}

/** The error's code for programs: the daemon's numeric code, or a word for failures on this side. */
function errorCode(error: unknown): string | number {
  if (error instanceof UsageError) return 'usage';
  if (error instanceof ResponseError) return error.code;
  if (error instanceof CliFailure) return error.code;
  if (error instanceof DaemonNotRunningError) return 'daemon-not-running';
  if (error instanceof DaemonVersionError) return 'daemon-version';
  if (error instanceof UnsafePathError) return 'unsafe-path';
  return 'failed';
}

/** Reports a failure the way the command line asked for; returns the exit code. */
export function reportFailure(error: unknown, json: boolean): number {
  const usage = error instanceof UsageError;
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    print(true, { error: { code: errorCode(error), message } }, '');
  } else {
    process.stderr.write(usage ? `${message}\n` : `multisite-local: ${message}\n`);
  }
  return usage ? 2 : 1;
}

/** A start the schema guard refused can be confirmed from the command line: its message says how. */
export async function confirmable<T>(start: Promise<T>): Promise<T> {
  try {
    return await start;
  } catch (error) {
    if (error instanceof ResponseError && error.code === DaemonErrorCode.SchemaDrift)
      throw new ResponseError(error.code, `${error.message} Add --yes to start it anyway.`);
    throw error;
  }
}
