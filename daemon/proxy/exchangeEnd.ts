/**
 * When a request the proxy serves is over, as a signal: its response closes
 * once the answer was sent whole or the browser went away; an upgraded
 * request (a WebSocket) lasts as long as its connection. (The request itself
 * will not do: node:http closes it as soon as its body was read.) The warm
 * pool holds a request's backend until then, so a backend is never stopped
 * under a request in flight.
 */

/** What carries a request's answer: its ServerResponse, or an upgrade's Socket. */
export interface AnswerCarrier {
  readonly closed: boolean;
  once(event: 'close', listener: () => void): unknown;
}

export function exchangeEnd(carrier: AnswerCarrier): AbortSignal {
  const controller = new AbortController();
  if (carrier.closed) controller.abort();
  else carrier.once('close', () => controller.abort());
  return controller.signal;
}
