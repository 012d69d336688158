/**
 * What reaches the daemon's JSON-RPC dispatcher: JSON-RPC 2.0 requests,
 * notifications and responses, nothing else. vscode-jsonrpc answers nothing
 * to text that is not JSON, nor to JSON that is none of those three (it
 * writes such a message to the log, over as many lines as it has), and hands
 * `"params": null` to the handler. JSON-RPC 2.0 wants a Parse error or an
 * Invalid Request error for them, with the request's id when it has a usable
 * one, else null; issue 14 sent them. The screen answers so and keeps the
 * connection open: the client's next message is served as usual.
 */
import type { IWebSocket } from '../../protocol/wire';

/** JSON-RPC 2.0's own error codes (section 5.1). */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;

export interface RpcErrorReply {
  jsonrpc: '2.0';
  id: string | number | null;
  error: { code: number; message: string };
}

const reply = (code: number, id: string | number | null, message: string): RpcErrorReply => ({ jsonrpc: '2.0', id, error: { code, message } });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** What is wrong with `message` as a JSON-RPC 2.0 message (a clause), or null when nothing is. */
function invalidity(message: Record<string, unknown>): string | null {
  if (message.jsonrpc !== '2.0') return '"jsonrpc" must be "2.0"';
  const { id } = message;
  if ('method' in message) {
    if (typeof message.method !== 'string') return '"method" must be a string';
    // JSON-RPC allows a null id but discourages it; vscode-jsonrpc takes it for neither a request nor a notification.
    if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return '"id" must be a string or a number';
    if (message.params !== undefined && (message.params === null || typeof message.params !== 'object')) return '"params" must be an object or an array';
    return null;
  }
  if ('result' in message !== 'error' in message && (id === null || typeof id === 'string' || typeof id === 'number')) return null;
  return 'a message must be a request (with a "method") or a response (with an "id" and a "result" or an "error")';
}

/** The error `text` must be answered with instead of being dispatched, or null when it is a JSON-RPC 2.0 message. */
export function screenMessage(text: string): RpcErrorReply | null {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return reply(PARSE_ERROR, null, 'Parse error: the message is not JSON.');
  }
  if (Array.isArray(message)) return reply(INVALID_REQUEST, null, 'Invalid Request: batches are not supported; send one message at a time.');
  if (!isObject(message)) return reply(INVALID_REQUEST, null, 'Invalid Request: a message must be a JSON object.');
  const problem = invalidity(message);
  if (!problem) return null;
  const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
  return reply(INVALID_REQUEST, id, `Invalid Request: ${problem}.`);
}

/** `socket` as the JSON-RPC reader sees it: what is not a JSON-RPC 2.0 message is answered here and never reaches it. */
export function screenedSocket(socket: IWebSocket): IWebSocket {
  return {
    send: (content) => socket.send(content),
    onMessage: (deliver) =>
      socket.onMessage((data: unknown) => {
        // Text frames arrive as strings, binary ones as Buffers; both are JSON text to the reader.
        const text = typeof data === 'string' ? data : Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
        const error = screenMessage(text);
        // The reader parses the text again: messages are small, and it takes text only.
        if (error) socket.send(JSON.stringify(error));
        else deliver(text);
      }),
    onError: (handler) => socket.onError(handler),
    onClose: (handler) => socket.onClose(handler),
    dispose: () => socket.dispose(),
  };
}
