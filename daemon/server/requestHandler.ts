/**
 * How every request's handler answers: its result, a DaemonError as that
 * error's code and sentence, and anything else as ServerFailed with one
 * sentence for the client (the stack goes to the daemon's log only).
 */
import { DaemonError } from '../base/daemonError';
import { DaemonErrorCode } from '../../protocol/protocol';
import { ResponseError } from '../../protocol/wire';
import { endSentence } from '../base/sentence';

export type Handle = <P, R>(fn: (params: P) => Promise<R>) => (params: P) => Promise<R | ResponseError<void>>;

export function requestHandler(log: (text: string) => void): Handle {
  return (fn) => async (params) => {
    try {
      // By position, `"params": [null]` reaches a handler as null (issue 14): refused as bad input, not a crash.
      if (params === null || typeof params !== 'object') {
        throw new DaemonError(DaemonErrorCode.BadRequest, `The request's parameters must be an object, not ${params === null ? 'null' : typeof params}.`);
      }
      return await fn(params);
    } catch (error) {
      if (error instanceof DaemonError) return new ResponseError(error.code, error.message);
      log(`internal error: ${(error as Error).stack ?? String(error)}`);
      return new ResponseError(DaemonErrorCode.ServerFailed, endSentence(`The daemon failed unexpectedly: ${(error as Error).message}`));
    }
  };
}
