/**
 * This window's view of this machine's addresses (issue 25): where VS Code
 * forwards each port a site is served on (`vscode.env.asExternalUri`), so
 * that what the product opens and what it shows are addresses a browser of
 * this window reaches (forwardedAddress.ts). Opening asks VS Code each time
 * (a forward may have been closed since); showing uses what it last said,
 * asking in the background the first time a port is shown and telling the
 * views when the answer changes what they show.
 */
import * as vscode from 'vscode';
import { forwardPorts } from '../settings';
import { forwardable, throughForward } from './forwardedAddress';

export class WindowAddresses implements vscode.Disposable {
  /** What VS Code forwards each port to, by the address asked (`http://localhost:<port>/`); null while it is being asked. */
  private readonly forwards = new Map<string, URL | null>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A forward became known: what the views show may have changed. */
  readonly onDidChange = this.changed.event;

  /** Where VS Code forwards `url`'s port for this window (itself in a local window). */
  async forward(url: URL): Promise<URL> {
    const asked = forwardable(url);
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(asked));
    const forwarded = new URL(external.toString(true));
    const before = this.forwards.get(asked);
    this.forwards.set(asked, forwarded);
    if (before?.href !== forwarded.href) this.changed.fire();
    return forwarded;
  }

  /**
   * `url` as this window shows it: under its name on the forwarded port where the forward is a plain
   * port; as it is where nothing is forwarded, where the forward carries no name (opening it forwards
   * the site's own port) and until VS Code has said. `ask` false: only a forward already known is used
   * (a site's own port: asking forwards it, and a project may have hundreds of sites).
   */
  shown(url: string | null, ask = true): string | null {
    if (url === null || !forwardPorts()) return url;
    let local: URL;
    try {
      local = new URL(url);
    } catch {
      return url;
    }
    if (local.protocol !== 'http:') return url;
    const asked = forwardable(local);
    const forwarded = this.forwards.get(asked);
    if (forwarded === undefined && ask) {
      this.forwards.set(asked, null);
      this.forward(local).catch(() => this.forwards.delete(asked));
    }
    return (forwarded && throughForward(local, forwarded)?.toString()) ?? url;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The window's one view of its forwards: the views, the commands and the browser share what VS Code said. */
export const windowAddresses = new WindowAddresses();
