/**
 * Where a site opens: the system browser, or VS Code's Simple Browser beside
 * the code (the preview), at the address a browser of this window reaches
 * (forwardedAddress.ts: through a forwarded port in a remote window). Also
 * explains, once, why each site asks for its own login: the session cookie
 * belongs to one domain, as on the Live and Test servers.
 */
import * as vscode from 'vscode';
import { explainPerSiteLogin, forwardPorts, silencePerSiteLoginNote } from '../settings';
import { onForward, throughForward } from './forwardedAddress';
import { windowAddresses } from './windowAddresses';

export type OpenWhere = 'external' | 'preview';

/** The site an address belongs to, and its address that needs no name (its own port), for forwards that carry none. */
export interface OpenedSite {
  root: string;
  slug: string;
  bareUrl: string | null;
}

const PER_SITE_LOGIN_NOTE =
  'Each site has its own address, so each asks you to log in once: the session cookie belongs to one domain. The Live and Test servers behave the same way.';

/** Said once per window when a forward puts the site under a path: Django's links start at the root. */
const PATH_FORWARD_NOTE = (prefix: string): string =>
  `Multi-Site: this window forwards the site's port under the path ${prefix}, and a link of the site that starts with / (as Django's do) leaves it. For whole sites, give the forwarder a name per port (code-server: --proxy-domain, or VSCODE_PROXY_URI with {{port}} in the host name); if your browser runs on the machine that serves the sites, turn off multisiteLocal.forwardPorts.`;

export class SiteBrowser {
  /** Sites opened in this window (root#slug); the second one brings the login note. */
  private readonly opened = new Set<string>();
  private pathForwardNoted = false;

  /** Opens `url` where a browser of this window reaches it, and returns what it opened (for scripts and tests). */
  async open(url: string, where: OpenWhere, site?: OpenedSite): Promise<string> {
    const reached = await this.reachable(url, site?.bareUrl ?? null);
    if (where === 'preview') {
      // The Simple Browser is built in; it shows the page in an editor beside the code.
      await vscode.commands.executeCommand('simpleBrowser.api.open', vscode.Uri.parse(reached), {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
      });
    } else {
      await vscode.env.openExternal(vscode.Uri.parse(reached));
    }
    if (site) this.noteOpened(`${site.root}#${site.slug}`);
    return reached;
  }

  /**
   * `url` as a browser of this window reaches it: a server of this machine (http) through the port VS Code
   * forwards, under its own name where the forward carries one, else at `bareUrl` forwarded. Live and Test
   * servers (https) are opened as they are.
   */
  private async reachable(url: string, bareUrl: string | null): Promise<string> {
    const local = new URL(url);
    if (local.protocol !== 'http:' || !forwardPorts()) return url;
    const forwarded = await windowAddresses.forward(local);
    const named = throughForward(local, forwarded);
    if (named) return named.toString();
    const bare = bareUrl ? await windowAddresses.forward(new URL(bareUrl)) : forwarded;
    if (bare.pathname !== '/' && !this.pathForwardNoted) {
      this.pathForwardNoted = true;
      void vscode.window.showInformationMessage(PATH_FORWARD_NOTE(bare.pathname));
    }
    return onForward(local, bare).toString();
  }

  private noteOpened(key: string): void {
    const before = this.opened.size;
    this.opened.add(key);
    if (before !== 1 || this.opened.size !== 2 || !explainPerSiteLogin()) return;
    void vscode.window.showInformationMessage(PER_SITE_LOGIN_NOTE, "Don't Show Again").then((choice) => {
      if (choice) void silencePerSiteLoginNote();
    });
  }
}
