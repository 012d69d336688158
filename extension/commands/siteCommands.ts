/**
 * Commands on one site: serve it, open it (its own address, its admin, its
 * Live and Test servers, a preview beside the code), copy its address, and
 * reveal where it is configured. Each returns what it opened or copied, so
 * scripts and tests can check it.
 */
import * as vscode from 'vscode';
import type { SwitchResult } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import { windowAddresses } from '../browser/windowAddresses';
import { openAfterSwitch } from '../settings';
import { sourceLocation } from '../tree/sitesNodes';
import type { SitesNode } from '../tree/sitesNodes';
import { command, guarded, reportFailure, requireTrust, siteTarget } from './commandContext';
import type { CommandContext, SiteTarget } from './commandContext';

/** Where a site answers in its project's current mode, without starting anything (null: nowhere yet). */
export function addressNow(target: SiteTarget): string | null {
  const state = target.project.state;
  if (state?.currentSite?.slug === target.site.slug && state.siteUrl) return state.siteUrl;
  return target.site.localhostUrl;
}

/** How long after opening a preview its cookie check's answer is awaited. */
const PREVIEW_CHECK_MS = 60_000;

export function siteCommands(context: CommandContext): vscode.Disposable[] {
  const { registry, browser } = context;
  /** When this window last opened each site's preview (by slug): only then is a failed cookie check said. */
  const previewed = new Map<string, number>();

  /** Makes the site answer (warming it, or switching where only a switch can); `preview`: a path the answer gives the preview's address of. */
  const reach = async (target: SiteTarget, preview: string | null = null): Promise<SwitchResult | undefined> => {
    if (!(await requireTrust('Opening a site'))) return undefined;
    const name = siteLabel(target.site);
    try {
      return await guarded((confirmed) =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Starting ${name}…` }, () =>
          registry.openSite(target.project.root, target.site, confirmed, preview),
        ),
      );
    } catch (error) {
      await reportFailure(context, `Could not open ${name}`, error, target.project);
      return undefined;
    }
  };

  const openHere = async (node: SitesNode | undefined, path = ''): Promise<string | undefined> => {
    const target = await siteTarget(registry, node, 'Open which site?');
    const result = target && (await reach(target));
    if (!target || !result) return undefined;
    // An address row opens the address it shows: the site's `.localhost` name, or its own port.
    const url = node?.kind === 'address' ? node.url : (result.localhostUrl ?? result.url);
    return browser.open(new URL(path, url).toString(), 'external', { root: target.project.root, slug: target.site.slug, bareUrl: result.site.portUrl ?? null });
  };

  /**
   * The site in the preview beside the code, at its preview address (PreviewAddresses): under its own name
   * from a site's row, bare for the current site. Served without the proxy, its own address, with a warning.
   */
  const preview = async (node: SitesNode | undefined): Promise<string | undefined> => {
    const project = registry.primary();
    const current = !node && project?.state?.currentSite;
    const target = current ? { project, site: current } : await siteTarget(registry, node, 'Preview which site?');
    const result = target && (await reach(target, ''));
    if (!target || !result) return undefined;
    const site = { root: target.project.root, slug: target.site.slug };
    previewed.set(site.slug, Date.now());
    if (!result.preview) {
      void offerBrowser(
        `${siteLabel(target.site)} is served without the local proxy, so the preview shows its own answers: a page that forbids frames stays blank there, and a login may not keep its cookie.`,
        result.localhostUrl ?? result.url,
      );
      return browser.open(result.localhostUrl ?? result.url, 'preview', { ...site, bareUrl: result.url });
    }
    return browser.open(current ? result.preview.bareUrl : result.preview.url, 'preview', { ...site, bareUrl: result.preview.bareUrl });
  };

  /** Says `sentence` with a button that opens `url` in the system browser. */
  const offerBrowser = async (sentence: string, url: string): Promise<void> => {
    if (await vscode.window.showWarningMessage(`Multi-Site: ${sentence}`, 'Open in Browser')) await browser.open(url, 'external');
  };

  const openRemote = async (node: SitesNode | undefined, role: 'live' | 'test'): Promise<string | undefined> => {
    const target = await siteTarget(registry, node, `Open which site's ${role === 'live' ? 'Live' : 'Test'} server?`);
    if (!target) return undefined;
    const domain = target.site.domains[role];
    if (!domain) {
      void vscode.window.showInformationMessage(`Multi-Site: ${siteLabel(target.site)} has no ${role === 'live' ? 'Live' : 'Test'} domain.`);
      return undefined;
    }
    return browser.open(`https://${domain}/`, 'external');
  };

  const switchSite = async (node: SitesNode | undefined): Promise<SwitchResult | undefined> => {
    const target = await siteTarget(registry, node, undefined, true);
    if (!target || !(await requireTrust('Serving a site'))) return undefined;
    const name = siteLabel(target.site);
    try {
      const result = await guarded((confirmed) =>
        vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Switching to ${name}…` }, () =>
          registry.switchSite(target.project.root, target.site, confirmed),
        ),
      );
      if (!result) return undefined;
      const open = openAfterSwitch();
      if (open === 'simpleBrowser') await preview(undefined);
      else if (open === 'externalBrowser')
        await browser.open(result.url, 'external', { root: target.project.root, slug: target.site.slug, bareUrl: result.url });
      return result;
    } catch (error) {
      await reportFailure(context, `Could not serve ${name}`, error, target.project);
      return undefined;
    }
  };

  return [
    command('switchSite', (node?: SitesNode) => switchSite(node)),
    command('pickSite', () => switchSite(undefined)),
    command('openSiteAddress', (node?: SitesNode) => openHere(node)),
    command('openLocal', (node?: SitesNode) => openHere(node)),
    command('openAdmin', (node?: SitesNode) => openHere(node, 'admin/')),
    // The current site by default: the preview follows what is being worked on.
    command('preview', (node?: SitesNode) => preview(node)),
    context.daemon.onPreviewBlocked(({ site, url }) => {
      // Said for a preview this window opened just now, once: any page in a browser can load the check's address.
      const opened = previewed.get(site.slug);
      previewed.delete(site.slug);
      if (opened === undefined || Date.now() - opened > PREVIEW_CHECK_MS) return;
      void offerBrowser(`${siteLabel(site)} cannot keep its login in the preview: this browser keeps no cookie in the preview's frame.`, url);
    }),
    command('openLive', (node?: SitesNode) => openRemote(node, 'live')),
    command('openTest', (node?: SitesNode) => openRemote(node, 'test')),
    command('copyAddress', async (node?: SitesNode) => {
      const target = await siteTarget(registry, node, 'Copy which site’s address?');
      if (!target) return undefined;
      const address = node?.kind === 'domain' ? node.domain : (windowAddresses.shown(addressNow(target)) ?? target.site.domains.live ?? target.site.slug);
      await vscode.env.clipboard.writeText(address);
      vscode.window.setStatusBarMessage(`$(copy) Copied ${address}`, 3000);
      return address;
    }),
    command('revealConfig', async (node?: SitesNode) => {
      const target = await siteTarget(registry, node, 'Reveal where which site is configured?');
      if (!target) return undefined;
      const places = target.site.sources.filter((s) => sourceLocation(s));
      const source =
        places.length > 1 ? await vscode.window.showQuickPick(places, { title: `${siteLabel(target.site)} is declared in several places` }) : places[0];
      const location = sourceLocation(source ?? null);
      if (!location) {
        if (!places.length)
          void vscode.window.showInformationMessage(
            `Multi-Site: ${siteLabel(target.site)} comes from ${target.site.sources.join(', ') || 'the Sites table'}, not a file.`,
          );
        return undefined;
      }
      const uri = vscode.Uri.joinPath(vscode.Uri.file(target.project.root), location.file);
      await vscode.window.showTextDocument(uri, { selection: new vscode.Range(location.line, 0, location.line, 0) });
      return uri.fsPath;
    }),
  ];
}
