import type { DaemonErrorCode } from './protocol/protocol';

/** A failure a person can act on: a code for programs, one sentence for people. */
export class DaemonError extends Error {
  constructor(
    readonly code: DaemonErrorCode,
    message: string,
  ) {
    super(message);
  }
}
