/**
 * Which port each site of each project answers on of its own (issue 25),
 * kept in the daemon's home so a site keeps its port across restarts: a
 * bookmark, or an OAuth callback URL registered with a provider, stays
 * right. A port the book gives one site is never offered to another, of any
 * project, while the book holds it. The daemon is the book's only writer.
 */
import * as path from 'node:path';
import { readPrivateFile, writeFileAtomic } from '../../home/safeFile';

/** Project root -> site slug -> port. */
type Book = Record<string, Record<string, number>>;

const FILE = 'site-ports.json';

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) > 0 && (value as number) < 65_536;
}

export class SitePortBook {
  readonly file: string;
  private book: Book | null = null;
  private unsaved = false;

  constructor(home: string) {
    this.file = path.join(home, FILE);
  }

  /** The book as kept; one that does not parse is started again (the ports are only a preference). */
  private read(): Book {
    if (this.book) return this.book;
    const text = readPrivateFile(this.file, `The site ports file ${this.file}`, 'delete it; the sites are given ports again.');
    const book: Book = {};
    try {
      const parsed = JSON.parse(text ?? '{}') as unknown;
      for (const [root, sites] of Object.entries(parsed && typeof parsed === 'object' ? parsed : {}))
        for (const [slug, port] of Object.entries(sites && typeof sites === 'object' ? (sites as object) : {}))
          if (isPort(port)) (book[root] ??= {})[slug] = port;
    } catch {
      // Not JSON: written by something else, or cut short. Nothing in it is relied on.
    }
    return (this.book = book);
  }

  /** The port `slug` of the project in `root` had, if any. */
  remembered(root: string, slug: string): number | null {
    return this.read()[root]?.[slug] ?? null;
  }

  /** Whether the book gives `port` to a site other than `slug` of `root`. */
  heldByAnother(port: number, root: string, slug: string): boolean {
    for (const [bookRoot, sites] of Object.entries(this.read()))
      for (const [bookSlug, bookPort] of Object.entries(sites)) if (bookPort === port && (bookRoot !== root || bookSlug !== slug)) return true;
    return false;
  }

  /** Forgets the ports of `root`'s sites (another first port was chosen for them); kept by the next save. */
  forget(root: string): void {
    const book = this.read();
    if (!book[root]) return;
    delete book[root];
    this.unsaved = true;
  }

  /** Keeps `port` for `slug` of `root`; written by the next save. */
  remember(root: string, slug: string, port: number): void {
    const book = this.read();
    if (book[root]?.[slug] === port) return;
    (book[root] ??= {})[slug] = port;
    this.unsaved = true;
  }

  /** Writes what changed since the last save, in one step (a project of 200 sites is one write, not 200). */
  save(): void {
    if (!this.unsaved) return;
    writeFileAtomic(this.file, `${JSON.stringify(this.read(), null, 1)}\n`);
    this.unsaved = false;
  }
}
