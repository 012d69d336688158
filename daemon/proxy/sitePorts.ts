/**
 * A port of its own for every site of a project served through its proxy
 * (issue 25): `http://127.0.0.1:<port>/` is that site whatever loopback name
 * the browser uses, for clients that do not resolve `*.localhost` (Safari
 * before macOS 26, Python's requests, Node's fetch on macOS and Windows) and
 * forwarders that carry one port and no name. Ports are looked for upward from
 * next to the project's port, skipping taken ones and any the book
 * (sitePortBook.ts) gives another site; a site gets back the port it had.
 */
import type { Site } from '../../protocol/protocol';
import { siteLabel } from '../../protocol/siteLabel';
import { describePortHolder } from '../runners/portOwner';
import type { SitePortBook } from './sitePortBook';
import type { SiteProxy } from './siteProxy';

export interface SitePortsContext {
  root: string;
  book: SitePortBook;
  /** The first port new ones are looked for from; null: the sites have none. */
  start(): number | null;
  sites(): readonly Site[];
  note(text: string): void;
}

/** How many ports other programs hold one site may skip before it goes without one (said in the log); the book's are skipped freely. */
const MAX_SKIPS = 200;

export class SitePorts {
  private syncing: Promise<void> = Promise.resolve();
  /** The start the open ports were found from: another one chosen since gives every site a new port. */
  private startUsed: number | null = null;

  constructor(
    private readonly proxy: SiteProxy,
    private readonly context: SitePortsContext,
  ) {}

  /** Opens a port for each site without one and closes those of sites gone; one sync at a time, in order. */
  sync(): Promise<void> {
    this.syncing = this.syncing
      .then(() => this.syncNow())
      .finally(() => this.context.book.save())
      .catch((error: unknown) => {
        if (!this.proxy.stopped) this.context.note(`The sites' own ports could not all be opened: ${(error as Error).message}`);
      });
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    const { book, root } = this.context;
    const start = this.context.start();
    if (start !== null && this.startUsed !== null && start !== this.startUsed) {
      for (const slug of this.proxy.sitesWithPorts) await this.proxy.closeFor(slug);
      book.forget(root);
    }
    this.startUsed = start;
    const sites = start === null ? [] : this.context.sites();
    const wanted = new Set(sites.map((s) => s.slug));
    for (const slug of this.proxy.sitesWithPorts) if (!wanted.has(slug)) await this.proxy.closeFor(slug);
    let next = start ?? 0;
    for (const site of sites) {
      if (this.proxy.portOf(site.slug) !== null) continue;
      const remembered = book.remembered(root, site.slug);
      if (remembered !== null && (await this.open(site.slug, remembered))) continue;
      const port = await this.firstFree(site.slug, Math.max(next, 1));
      if (port === null) {
        this.context.note(`${siteLabel(site)} has no port of its own: none was free from ${next} on.`);
        continue;
      }
      next = port + 1;
      // A site whose port was taken keeps it in the book: it gets it back once it is free again.
      if (remembered === null) book.remember(root, site.slug, port);
      else
        this.context.note(
          `Port ${remembered} of ${siteLabel(site)} is in use by ${await describePortHolder(remembered)}, so it answers on port ${port} for now.`,
        );
    }
  }

  /** The first port from `from` that is free and nobody else's in the book, opened for `slug`; null when none is. */
  private async firstFree(slug: string, from: number): Promise<number | null> {
    let taken = 0;
    for (let port = from; port < 65_536 && taken < MAX_SKIPS; port++) {
      if (port === this.proxy.port || this.context.book.heldByAnother(port, this.context.root, slug)) continue;
      if (await this.open(slug, port)) return port;
      taken++;
    }
    return null;
  }

  /** Whether `slug` now answers on `port` (false: the port is taken). */
  private async open(slug: string, port: number): Promise<boolean> {
    try {
      await this.proxy.listenFor(slug, port);
      return true;
    } catch (error) {
      if (this.proxy.stopped) throw error; // the project stopped being served: no port is looked for
      return false;
    }
  }
}
