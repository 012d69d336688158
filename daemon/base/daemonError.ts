import { DaemonErrorCode } from '../../protocol/protocol';
import { endSentence } from './sentence';

/** A failure a person can act on: a code for programs, one sentence for people. */
export class DaemonError extends Error {
  constructor(
    readonly code: DaemonErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The error a failed or cancelled start of `label` is reported with: cancelled by a newer
 * request or by the daemon shutting down (per `signal`; null: nothing can cancel it), or
 * failed, in one sentence.
 */
export function servingFailure(label: string, signal: AbortSignal | null, error: unknown): DaemonError {
  if (signal?.aborted) {
    return signal.reason === 'shutdown'
      ? new DaemonError(DaemonErrorCode.ShuttingDown, `Serving ${label} was cancelled: the daemon is shutting down.`)
      : new DaemonError(DaemonErrorCode.Superseded, `Serving ${label} was replaced by a newer request.`);
  }
  if (error instanceof DaemonError) return error;
  return new DaemonError(DaemonErrorCode.ServerFailed, endSentence(`Serving ${label} failed: ${(error as Error).message}`));
}
