/**
 * A project's sites as the daemon knows them: read from its files on every
 * open (cheap, no project code) and from Django itself (askDjango.ts: the
 * Sites table and every framework's sites, project code, a quarter second to
 * seconds) only on the first trusted open, on an explicit refresh, and when
 * the database file or the migrations change; a read that failed is tried
 * again once a file of the config changed after it (settings Python refused,
 * then fixed). Also the project's interpreter, found once.
 */
import { stat } from 'node:fs/promises';
import { ConfigWatcher } from './configWatcher';
import { DaemonError } from '../daemonError';
import { resolveInterpreter } from '../runners/interpreter';
import type { ProjectCode } from '../runners/projectCode';
import { databaseKey } from '../sharedDb/databaseIdentity';
import { probeDatabase } from '../sharedDb/databaseProbe';
import { settingsModuleName } from './settingsModule';
import type { Interpreter, InterpreterHints } from '../runners/interpreter';
import { DaemonErrorCode } from '../protocol/protocol';
import type { OpenProjectParams, Site, SitesResult } from '../protocol/protocol';
import { servableConfig } from './configGate';
import { findSite } from './siteMatch';
import { readSiteConfig } from './siteConfig';
import type { SiteConfig } from './siteConfig';
import { askDjango } from './askDjango';
import type { DjangoRead } from './askDjango';
import { tableSources } from './tableSources';
import type { TableSources } from './tableSources';

export interface SitesEvents {
  /** The sites were read again after a file changed. */
  changed(result: SitesResult): void;
  log(text: string): void;
}

export class ProjectSites {
  private config: SiteConfig | null = null;
  private openedTrusted = false;
  /** What Django said when last asked; asking runs project code, so only when trusted. */
  private table: DjangoRead | null = null;
  /** When the last read of the table started: a config file changed after it can explain why it failed. */
  private tableReadStarted = 0;
  /** The read of the table under way, shared by whoever needs the table meanwhile (an open, the watcher). */
  private tableReading: Promise<DjangoRead> | null = null;
  private readonly watcher = new ConfigWatcher((tableChanged) => void this.reloadAfterChange(tableChanged));
  private hints: InterpreterHints = {};
  private found: Interpreter | null = null;
  /** The database key as probed for one read of the files. */
  private database: { config: SiteConfig; key: Promise<string | null> } | null = null;
  /** A read of Django's answer for a `sitesFirst` open, until it is in the sites. */
  private answering: Promise<void> | null = null;
  /** What the table depends on (database file, migrations folders), as last found. */
  private tableDeps: TableSources | null = null;

  constructor(
    private readonly root: string,
    private readonly events: SitesEvents,
    /** Runs the project's code (the Sites table, the database probe) journaled, as the daemon's servers are. */
    private readonly projectCode: ProjectCode,
  ) {}

  /** The sites as last read, or null before the first successful read. */
  get current(): SiteConfig | null {
    return this.config;
  }

  /** The sites as last read; an error when the project was never read. */
  get(): SiteConfig {
    if (!this.config) throw new DaemonError(DaemonErrorCode.ProjectNotFound, `${this.root} is not open.`);
    return this.config;
  }

  async open(params: OpenProjectParams): Promise<SitesResult> {
    const hints = { virtualEnv: params.virtualEnv ?? null, pythonPath: params.pythonPath ?? null };
    if (JSON.stringify(hints) !== JSON.stringify(this.hints)) this.found = null;
    this.hints = hints;
    // A request from an untrusted workspace never runs project code; it may see a table
    // that a trusted client's request read earlier.
    const trusted = params.trusted !== false;
    this.openedTrusted ||= trusted;
    const ask = trusted && (this.table === null || params.refresh === true || (await this.failedReadOutdated()));
    if (!ask || !params.sitesFirst) return this.reload(ask);
    // The files' sites at once; Django's follow as a change when its read lands (never in front of a tree or a start).
    this.answering ??= this.reload(true)
      .then(
        (result) => this.events.changed(result),
        (error: Error) => this.events.log(`could not read the project's sites: ${error.message}`),
      )
      .finally(() => (this.answering = null));
    return this.reload(false);
  }

  /** Resolves once no read of Django's answer is pending (at once when none is). */
  async settled(): Promise<void> {
    await this.answering;
  }

  /** The servable site `query` names; while Django is being asked, one only its answer can name is waited for. */
  async findServable(query: string): Promise<Site> {
    try {
      return findSite(servableConfig(this.get()), query);
    } catch (error) {
      if (this.answering === null) throw error;
    }
    await this.settled();
    return findSite(servableConfig(this.get()), query);
  }

  /** Whether the table could not be read last time and a config file changed since (its error may be fixed). */
  private async failedReadOutdated(): Promise<boolean> {
    await this.tableReading; // a read under way decides for itself
    if (this.table?.ok !== false || !this.config) return false;
    const changed = await Promise.all(
      this.config.watchFiles.map((file) =>
        stat(file).then(
          (s) => s.mtimeMs,
          () => 0,
        ),
      ),
    );
    return changed.some((time) => time >= this.tableReadStarted);
  }

  /** Re-reads the sites from the project's files (and its Sites table when `withTable` and trusted). */
  async reload(withTable: boolean): Promise<SitesResult> {
    if (withTable && this.openedTrusted) {
      this.tableReading ??= this.readTable().finally(() => (this.tableReading = null));
      this.table = await this.tableReading;
    }
    const trusted = this.openedTrusted;
    const config = await readSiteConfig(this.root, { django: trusted ? this.table : null, trusted, interpreter: trusted ? (this.found?.path ?? null) : null });
    this.config = config;
    // Finding the migrations walks the project's folders: only when the table is (re)read.
    if (withTable || !this.tableDeps) this.tableDeps = await tableSources(this.root, config.watchFiles);
    await this.watcher.watch(this.root, config.watchFiles, this.tableDeps);
    const { watchFiles, servingFacts, django, ...result } = config; // watchFiles, servingFacts and django stay in the daemon
    return result;
  }

  /**
   * Asks Django again after the project's code wrote its database (Populate Sites) and tells clients
   * (`changed`): a read that started before the write ended may have seen the table half written, so it
   * is waited for, not shared.
   */
  async readAgain(): Promise<SiteConfig> {
    while (this.tableReading) await this.tableReading;
    this.events.changed(await this.reload(true));
    return this.get();
  }

  /** Whether a client that may run the project's code opened it (the Sites table, the interpreter probe). */
  get trusted(): boolean {
    return this.openedTrusted;
  }

  /** Django's major version, once the interpreter was found (no I/O: null before). */
  get djangoMajor(): number | null {
    return this.found?.djangoMajor ?? null;
  }

  /** The interpreter that runs the project (found once per set of hints). */
  async interpreter(): Promise<Interpreter> {
    this.found ??= await resolveInterpreter(this.root, this.hints, this.projectCode);
    return this.found;
  }

  /**
   * Which database the project's settings resolve to (sharedDb/databaseIdentity.ts), probed once per
   * read of its files; null when unknown or when its code may not run.
   */
  databaseKey(): Promise<string | null> {
    const config = this.config;
    if (!config || !this.openedTrusted) return Promise.resolve(null);
    if (this.database?.config !== config) {
      const key = (async () => {
        // Django said it in the same read as the sites: no run of its own.
        if (config.django) return databaseKey(config.django.settings.database);
        const module = await settingsModuleName(this.root);
        if (!module) return null;
        return databaseKey(await probeDatabase(this.projectCode, this.root, (await this.interpreter()).path, module));
      })().catch(() => null);
      this.database = { config, key };
    }
    return this.database.key;
  }

  private async readTable(): Promise<DjangoRead> {
    this.tableReadStarted = Date.now();
    let python: string;
    try {
      python = (await this.interpreter()).path;
    } catch (error) {
      return { ok: false, reason: (error as Error).message, file: null, line: null };
    }
    return askDjango(this.projectCode, this.root, python);
  }

  /** A watched file changed: read the files again, and the table when the database or migrations changed. */
  private async reloadAfterChange(tableChanged: boolean): Promise<void> {
    try {
      this.events.changed(await this.reload(tableChanged || (await this.failedReadOutdated())));
    } catch (error) {
      this.events.log(`could not re-read the project's sites: ${(error as Error).message}`);
    }
  }

  /** Stops watching the project's files. */
  close(): Promise<void> {
    return this.watcher.close();
  }
}
