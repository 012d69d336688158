/**
 * Where a site opens: the system browser, or VS Code's Simple Browser beside
 * the code (the preview). Also explains, once, why each site asks for its own
 * login: the session cookie belongs to one domain, as on the Live and Test
 * servers.
 */
import * as vscode from 'vscode';
import { explainPerSiteLogin, silencePerSiteLoginNote } from '../settings';

export type OpenWhere = 'external' | 'preview';

const PER_SITE_LOGIN_NOTE =
  'Each site has its own address, so each asks you to log in once: the session cookie belongs to one domain. The Live and Test servers behave the same way.';

export class SiteBrowser {
  /** Sites opened in this window (root#slug); the second one brings the login note. */
  private readonly opened = new Set<string>();

  /** Opens `url` and returns it (commands return what they opened, for scripts and tests). */
  async open(url: string, where: OpenWhere, site?: { root: string; slug: string }): Promise<string> {
    if (where === 'preview') {
      // The Simple Browser is built in; it shows the page in an editor beside the code.
      await vscode.commands.executeCommand('simpleBrowser.api.open', vscode.Uri.parse(url), {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: true,
      });
    } else {
      await vscode.env.openExternal(vscode.Uri.parse(url));
    }
    if (site) this.noteOpened(`${site.root}#${site.slug}`);
    return url;
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
