/**
 * The one typed contract between the daemon and its clients (the VS Code
 * extension and the CLI). JSON-RPC 2.0 over a WebSocket on 127.0.0.1.
 * Every method name lives in its protocol.*.ts files and nowhere else.
 */
// One file per feature, as vscode-languageserver-protocol splits its protocol.*.ts; every part of the
// product imports the contract from here.
export * from './protocol.project';
export * from './protocol.sites';
export * from './protocol.serving';
export * from './protocol.hosts';
export * from './protocol.doctor';
export * from './protocol.database';
export * from './protocol.daemon';
