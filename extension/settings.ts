/** The extension's settings, read where they are used (never cached: users change them). */
import * as vscode from 'vscode';
import { DEFAULT_IDLE_MINUTES, DEFAULT_PORT, DEFAULT_WARM_SITES, PROXY_ROUTINGS } from '../protocol/protocol';
import type { ProxyRouting } from '../protocol/protocol';

/** multisiteLocal.pythonPath, else the Python extension's python.defaultInterpreterPath. */
export function interpreterSettingFor(root: string): string | null {
  const uri = vscode.Uri.file(root);
  const own = vscode.workspace.getConfiguration('multisiteLocal', uri).get<string>('pythonPath', '').trim();
  const python = vscode.workspace.getConfiguration('python', uri).get<string>('defaultInterpreterPath', '').trim();
  const chosen = own || (python === 'python' ? '' : python); // "python" is that extension's default, not a choice
  if (!chosen) return null;
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? root;
  return chosen.replace(/\$\{workspaceFolder\}/g, folder);
}

/** multisiteLocal.settingsModule for the project at `root`: the settings module the person chose, or null for the project's own. */
export function settingsModuleFor(root: string): string | null {
  return vscode.workspace.getConfiguration('multisiteLocal', vscode.Uri.file(root)).get<string>('settingsModule', '').trim() || null;
}

export function preferredPort(): number {
  return vscode.workspace.getConfiguration('multisiteLocal').get<number>('port', DEFAULT_PORT);
}

/** multisiteLocal.hostsFile, or null to let the daemon use the OS's hosts file. */
export function hostsFileSetting(): string | null {
  return vscode.workspace.getConfiguration('multisiteLocal').get<string>('hostsFile', '').trim() || null;
}

export function cleanUpOnExit(): boolean {
  return vscode.workspace.getConfiguration('multisiteLocal').get<boolean>('cleanUpHostsOnExit', true);
}

/** multisiteLocal.warmSites: sites kept warm behind the local proxy (multisite.json's `warmSites` wins); 0 = restart per switch. */
export function warmSites(): number {
  return vscode.workspace.getConfiguration('multisiteLocal').get<number>('warmSites', DEFAULT_WARM_SITES);
}

/** multisiteLocal.routing: how the local proxy reaches the sites (multisite.json's `routing` wins); auto (or a value VS Code let through from a hand-edited settings.json) is null, the project's default. */
export function routing(): ProxyRouting | null {
  const value = vscode.workspace.getConfiguration('multisiteLocal').get<string>('routing', 'auto');
  return PROXY_ROUTINGS.includes(value as ProxyRouting) ? (value as ProxyRouting) : null;
}

/** multisiteLocal.sitePorts: where the sites' own ports begin; true: next to the project's port (null to the daemon); false: none. */
export function sitePorts(): number | false | null {
  const value = vscode.workspace.getConfiguration('multisiteLocal').get<number | boolean>('sitePorts', true);
  return value === true ? null : value;
}

/** multisiteLocal.idleMinutes: a warm backend nobody used for this long is stopped (0 = never). */
export function idleMinutes(): number {
  return vscode.workspace.getConfiguration('multisiteLocal').get<number>('idleMinutes', DEFAULT_IDLE_MINUTES);
}

/** multisiteLocal.explainPerSiteLogin: say once why a second site asks for its own login. */
export function explainPerSiteLogin(): boolean {
  return vscode.workspace.getConfiguration('multisiteLocal').get<boolean>('explainPerSiteLogin', true);
}

export function silencePerSiteLoginNote(): Thenable<void> {
  return vscode.workspace.getConfiguration('multisiteLocal').update('explainPerSiteLogin', false, vscode.ConfigurationTarget.Global);
}

/** multisiteLocal.forwardPorts: open this machine's addresses through VS Code's port forwarding (asExternalUri). */
export function forwardPorts(): boolean {
  return vscode.workspace.getConfiguration('multisiteLocal').get<boolean>('forwardPorts', true);
}

/** multisiteLocal.openAfterSwitch: what a switch opens once the site answers. */
export function openAfterSwitch(): 'none' | 'simpleBrowser' | 'externalBrowser' {
  return vscode.workspace.getConfiguration('multisiteLocal').get<'none' | 'simpleBrowser' | 'externalBrowser'>('openAfterSwitch', 'none');
}

/** multisiteLocal.doctorBeforeModeChange: check the project before entering hosts mode, and ask when an error is found. */
export function doctorBeforeModeChange(): boolean {
  return vscode.workspace.getConfiguration('multisiteLocal').get<boolean>('doctorBeforeModeChange', true);
}
