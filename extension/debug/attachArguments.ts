/**
 * The attach configurations Debug Site starts (issue 24), without VS Code's
 * API, so the integration tests attach to a real debugpy with exactly these
 * arguments: VS Code sends a configuration whole to the adapter as the attach
 * request's arguments, and both configurations' adapters are debugpy's port
 * itself (the Python Debugger's for `connect`, ours for `debugpyPort`).
 */
import type { PathMapping } from '../../protocol/protocol';

/** Our debug type: VS Code talks to debugpy's port directly. */
export const OWN_DEBUG_TYPE = 'multisite-debugpy';

/** What both configurations ask of debugpy: Django's templates, the project's code only, the server's paths where they differ. */
function attachBase(name: string, pathMappings: PathMapping[]): Record<string, unknown> {
  return { name, request: 'attach', justMyCode: true, django: true, ...(pathMappings.length ? { pathMappings } : {}) };
}

/**
 * The Python Debugger's (`ms-python.debugpy`): `connect` is where its adapter is, and debugpy copies it
 * into each server it announces (`debugpyAttach`), so that extension follows them on the same port.
 */
export function pythonDebuggerAttach(name: string, port: number, pathMappings: PathMapping[]): Record<string, unknown> {
  return { ...attachBase(name, pathMappings), type: 'debugpy', connect: { host: '127.0.0.1', port }, subProcess: true };
}

/**
 * Ours: the port is `debugpyPort`, not `port` or `connect`, which debugpy reads as where to connect
 * (and refuses beside the `connect` of a server it announced); siteDebugger.ts follows the servers.
 */
export function ownAttach(name: string, port: number, pathMappings: PathMapping[]): Record<string, unknown> {
  return { ...attachBase(name, pathMappings), type: OWN_DEBUG_TYPE, debugpyPort: port };
}

/**
 * The configuration that attaches to a server debugpy announced in the session `parent` (its `debugpyAttach`
 * event's body: the parent's arguments with the server's id and debugpy's own `connect`). The Python
 * Debugger attaches with the body as it is; ours on the parent's port, as in a container `connect` is the
 * port inside it, not the one published here.
 */
export function serverAttach(body: Record<string, unknown>, parent: Record<string, unknown>): Record<string, unknown> {
  return parent.type === OWN_DEBUG_TYPE ? { ...body, type: OWN_DEBUG_TYPE, request: 'attach', debugpyPort: parent.debugpyPort } : body;
}
