/**
 * How VS Code attaches to a site served under debugpy (issue 24). debugpy's
 * port speaks the Debug Adapter Protocol: where Microsoft's Python Debugger
 * extension is installed, the attach is its own (`debugpy` type, which
 * follows the subprocesses runserver starts); where it is not (VSCodium,
 * code-server, Open VSX), through a debug type of ours whose adapter is that
 * port. Breakpoints can be set in Python files either way (package.json
 * declares them for the language).
 *
 * The debugged process is runserver's autoreloader; debugpy announces the
 * server it starts, and the next one after each edit, with a `debugpyAttach`
 * event whose body is the configuration to attach to it. The Python Debugger
 * follows it itself; for our type, `followServers` does.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PathMapping } from '../../protocol/protocol';
import { OWN_DEBUG_TYPE, ownAttach, pythonDebuggerAttach, serverAttach } from './attachArguments';

const PYTHON_DEBUGGER = 'ms-python.debugpy';

/** The attach configuration of our type (attachArguments.ts): the port debugpy listens on, on loopback. */
interface OwnAttach extends vscode.DebugConfiguration {
  debugpyPort: number;
}

/** The adapter of our type: debugpy's port itself. */
export class OwnDebugAdapter implements vscode.DebugAdapterDescriptorFactory {
  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    return new vscode.DebugAdapterServer((session.configuration as OwnAttach).debugpyPort, '127.0.0.1');
  }
}

/** Attaches a child session to each server debugpy announces in a session of our type (see above). */
export function followServers(): vscode.Disposable {
  return vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
    if (event.session.type !== OWN_DEBUG_TYPE || event.event !== 'debugpyAttach') return;
    const child = serverAttach(event.body as Record<string, unknown>, event.session.configuration) as vscode.DebugConfiguration;
    void vscode.debug.startDebugging(event.session.workspaceFolder, child, { parentSession: event.session, lifecycleManagedByParent: true });
  });
}

/**
 * Resolves once VS Code has attached to the server debugpy announces in the session attached to `debugPort`
 * (a child session: its start comes after debugpy acknowledged the breakpoints), false after `timeoutMs`.
 * Until then a request to the site runs past every breakpoint; the autoreloader's own session does not run views.
 */
export function serverAttached(debugPort: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (attached: boolean): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve(attached);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    const listener = vscode.debug.onDidStartDebugSession((session) => {
      if (session.parentSession && attachedPort(session.parentSession.configuration) === debugPort) done(true);
    });
  });
}

/** The debugpy port a configuration attaches to (ours or the Python Debugger's), if any. */
export function attachedPort(configuration: vscode.DebugConfiguration): number | null {
  const port: unknown = configuration.debugpyPort ?? (configuration.connect as { port?: unknown } | undefined)?.port;
  return typeof port === 'number' ? port : null;
}

/** The Python Debugger extension's own copy of debugpy (`bundled/libs`), for an interpreter without one; null where it is not installed. */
export function bundledDebugpy(): string | null {
  const extension = vscode.extensions.getExtension(PYTHON_DEBUGGER);
  return extension ? path.join(extension.extensionPath, 'bundled', 'libs') : null;
}

/** The configuration that attaches to debugpy at `port` on loopback, named for the site: the Python Debugger's where it is installed, else ours. */
export function attachConfiguration(name: string, port: number, pathMappings: PathMapping[]): vscode.DebugConfiguration {
  const attach = vscode.extensions.getExtension(PYTHON_DEBUGGER) ? pythonDebuggerAttach : ownAttach;
  return attach(name, port, pathMappings) as vscode.DebugConfiguration;
}
