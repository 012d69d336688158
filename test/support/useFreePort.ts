/**
 * A port for a suite's servers, chosen when the suite starts: the first free
 * one near `near` (spread by pid so parallel runs do not collide), never a
 * fixed port assumed to be free.
 */
import { choosePort } from '../../daemon/runners/freePort';

export function useFreePort(near: number, spread = 1000): () => number {
  let port: number | undefined;
  before(async () => {
    port = await choosePort(near + (process.pid % spread));
  });
  return () => {
    if (port === undefined) throw new Error('the suite port exists only while the suite runs');
    return port;
  };
}
