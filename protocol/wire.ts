/**
 * The wire libraries, JSON-RPC and WebSocket, as every part of the product
 * imports them: from here only. The build ships this module once, as
 * dist/wire.js, loaded by the extension, the daemon and the CLI alike, instead
 * of a copy inside each bundle (a third of each; see scripts/build.mjs).
 */
export { NotificationType, RequestType, RequestType0, ResponseError } from 'vscode-jsonrpc';
export type { Logger, MessageConnection } from 'vscode-jsonrpc';
export { createWebSocketConnection, toSocket } from 'vscode-ws-jsonrpc';
export type { IWebSocket } from 'vscode-ws-jsonrpc';
export { default as WebSocket, WebSocketServer } from 'ws';
