/**
 * One DaemonSandbox for a whole mocha suite: created in a `before` hook (after
 * checking the real components the suite needs), disposed in an `after` hook.
 * Sandboxes a single test makes stay in that test (disposed in its `finally`).
 */
import { requireComponents } from './components';
import type { Component } from './components';
import { DaemonSandbox } from './daemonSandbox';

export interface SuiteSandboxOptions {
  /** Real components the suite needs; a suite that serves nothing needs none. */
  requires?: Component[];
  env?: NodeJS.ProcessEnv;
  /** A copy of this folder instead of the demo (`setup` runs its venv and migrations). */
  project?: { source: string; setup: boolean };
  /** Runs once the sandbox exists, in the same hook: files the suite's tests start from, ports. */
  prepare?: (sandbox: DaemonSandbox) => void | Promise<void>;
  /** Runs before the sandbox is disposed, while its daemon and project copy still exist. */
  beforeDispose?: (sandbox: DaemonSandbox) => Promise<void>;
  /** For both hooks, when creating or disposing takes longer than a test may. */
  hookTimeoutMs?: number;
}

/**
 * Registers the hooks and returns the suite's sandbox accessor. `options` may be
 * a function, read in the hook, for what exists only once earlier hooks ran.
 */
export function useSandbox(options: SuiteSandboxOptions | (() => SuiteSandboxOptions) = {}): () => DaemonSandbox {
  let resolved: SuiteSandboxOptions = {};
  let sandbox: DaemonSandbox | undefined;
  before(async function () {
    resolved = typeof options === 'function' ? options() : options;
    if (resolved.hookTimeoutMs) this.timeout(resolved.hookTimeoutMs);
    requireComponents(this, ...(resolved.requires ?? []));
    sandbox = new DaemonSandbox(resolved.env, resolved.project);
    await resolved.prepare?.(sandbox);
  });
  after(async function () {
    if (resolved.hookTimeoutMs) this.timeout(resolved.hookTimeoutMs);
    if (!sandbox) return;
    try {
      await resolved.beforeDispose?.(sandbox);
    } finally {
      await sandbox.dispose();
      sandbox = undefined;
    }
  });
  return () => {
    if (!sandbox) throw new Error('the suite sandbox exists only while the suite runs');
    return sandbox;
  };
}
