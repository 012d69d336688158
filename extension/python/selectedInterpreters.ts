/**
 * The interpreter a person selected for a folder in VS Code: through the
 * Python extension's API (the `@vscode/python-extension` facade:
 * `environments.getActiveEnvironmentPath`, `resolveEnvironment`,
 * `onDidChangeActiveEnvironmentPath`), else the Python Environments
 * extension's (`getEnvironment`, `onDidChangeEnvironment`, the shape of
 * `@vscode/python-environments`). Reached lazily, on the first open, never
 * during activation: activating the Python extension takes seconds, so an open
 * waits for it a bounded time and a late answer re-reads the projects.
 */
import { PythonExtension } from '@vscode/python-extension';
import * as vscode from 'vscode';
import type { SelectedInterpreter } from '../../protocol/protocol';

/** How long an open waits for the Python extension's answer before going on without it (a late one re-reads). */
const WAIT_MS = 2_000;
const ENVIRONMENTS_EXTENSION_ID = 'ms-python.vscode-python-envs';

/** The part of the Python Environments extension's API read here (its `PythonEnvironmentApi`). */
interface PythonEnvironmentsApi {
  getEnvironment(scope: vscode.Uri | undefined): Promise<{ environmentPath: vscode.Uri; execInfo?: { run?: { executable?: string } } } | undefined>;
  onDidChangeEnvironment?: vscode.Event<{ uri: vscode.Uri | undefined }>;
}

/** One source of selections: the folder's interpreter, and an event when a selection changes. */
interface Source {
  selected(folder: vscode.Uri): Promise<SelectedInterpreter | null>;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** An interpreter path the extension would run, or null for its placeholder (`python` when nothing is selected). */
function aPath(candidate: string | undefined): string | null {
  return candidate && /[\\/]/.test(candidate) ? candidate : null;
}

export class SelectedInterpreters implements vscode.Disposable {
  private source: Promise<Source | null> | null = null;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private disposed = false;
  /** A selection changed, or the Python extension answered after an open had gone on without it. */
  readonly onDidChange = this.changed.event;

  /** The interpreter selected for `root`'s workspace folder, or null (none, no Python extension, or no answer in time). */
  async forFolder(root: string): Promise<SelectedInterpreter | null> {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(root))?.uri ?? vscode.Uri.file(root);
    let timedOut = false;
    const source = await within(this.connect(), WAIT_MS).then((found) => {
      timedOut = found === undefined;
      return found ?? null;
    });
    if (timedOut) {
      void this.connect().then((late) => late && this.changed.fire());
      return null;
    }
    if (!source) return null;
    return (await within(source.selected(folder), WAIT_MS).catch(() => undefined)) ?? null;
  }

  private connect(): Promise<Source | null> {
    // An extension whose API is not of the expected shape (an old version) is no source.
    this.source ??= (async () => (await this.pythonExtension().catch(() => null)) ?? (await this.environmentsExtension().catch(() => null)))();
    return this.source;
  }

  private async pythonExtension(): Promise<Source | null> {
    let api: PythonExtension;
    try {
      api = await PythonExtension.api(); // undefined extension: it throws, and the other source is tried
    } catch {
      return null;
    }
    const environments = api.environments;
    this.listen(environments.onDidChangeActiveEnvironmentPath);
    return {
      selected: async (folder) => {
        const active = environments.getActiveEnvironmentPath(folder);
        const resolved = await environments.resolveEnvironment(active).catch(() => undefined);
        const path = aPath(resolved?.executable.uri?.fsPath) ?? aPath(active.path);
        return path ? { path, by: 'python' } : null;
      },
    };
  }

  /** The same steps as `@vscode/python-environments`' `PythonEnvironments.api()`. */
  private async environmentsExtension(): Promise<Source | null> {
    const extension = vscode.extensions.getExtension<PythonEnvironmentsApi>(ENVIRONMENTS_EXTENSION_ID);
    if (!extension) return null;
    let api: PythonEnvironmentsApi;
    try {
      api = extension.isActive ? extension.exports : await extension.activate();
    } catch {
      return null;
    }
    if (api.onDidChangeEnvironment) this.listen(api.onDidChangeEnvironment);
    return {
      selected: async (folder) => {
        const environment = await api.getEnvironment(folder);
        const path = aPath(environment?.execInfo?.run?.executable) ?? aPath(environment?.environmentPath.fsPath);
        return path ? { path, by: 'pythonEnvironments' } : null;
      },
    };
  }

  /** Follows a selection event, unless this was disposed while the extension was being reached. */
  private listen<T>(event: vscode.Event<T>): void {
    if (!this.disposed) this.disposables.push(event(() => this.changed.fire()));
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
  }
}
