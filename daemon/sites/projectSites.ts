/**
 * A project's sites as the daemon knows them: read from its files on every
 * open (cheap, no project code) and from Django itself (askDjango.ts: the
 * Sites table and every framework's sites, project code, a quarter second to
 * seconds) only on the first trusted open, on an explicit refresh, and when
 * the database file or the migrations change; a read that failed is tried
 * again once a file of the config changed after it (settings Python refused,
 * then fixed). Also the project's interpreter, found once, and its settings
 * module (settingsLocation.ts), found at each read: Django is asked again
 * when it is another than the last read's (a person chose another, .env
 * changed).
 */
import { stat } from 'node:fs/promises';
import { ConfigWatcher } from './configWatcher';
import { DaemonError } from '../base/daemonError';
import { firstExistingCandidate, resolveInterpreter } from '../runners/interpreter';
import type { ProjectCode } from '../runners/projectCode';
import { databaseKey } from './databaseIdentity';
import { probeDatabase } from './databaseProbe';
import { locateSettings, settingsChoice } from './settingsLocation';
import { environmentOf } from './pythonSearchPath';
import type { SettingsChoice, SettingsLocation } from './settingsLocation';
import { isModuleName } from '../../protocol/settingsModuleName';
import type { Interpreter, InterpreterHints } from '../runners/interpreter';
import { DaemonErrorCode } from '../../protocol/protocol';
import type { OpenProjectParams, ProjectInterpreter, Site, SitesResult } from '../../protocol/protocol';
import { interpreterHints } from '../runners/interpreterHints';
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
  /** Resolves once the project's server starts under way or about to be made have settled (bounded): Django's read on open waits for them. */
  startsSettled?(): Promise<void>;
  /** A start needs Django's read (its site is known only to Django): the read must not wait for that start. */
  answerNeeded?(): void;
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
  private finding: Promise<Interpreter> | null = null;
  /** The database key as probed for one read of the files. */
  private database: { config: SiteConfig; key: Promise<string | null> } | null = null;
  /** A read of Django's answer for a `sitesFirst` open, until it is in the sites. */
  private answering: Promise<void> | null = null;
  /** What the table depends on (database file, migrations folders), as last found. */
  private tableDeps: TableSources | null = null;
  /** The settings module the person chose (a client's open), null: the project's own. */
  private choice: SettingsChoice | null = null;
  /** Where the settings module is, as found for the last read. */
  private location: SettingsLocation | null = null;
  /** The settings module the last read of Django ran with. */
  private tableModule: string | null = null;

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

  /** The settings module the project's code runs with (DJANGO_SETTINGS_MODULE), as found for the last read; null: none known. */
  get settingsModule(): string | null {
    return this.location?.passed ? this.location.module : null;
  }

  /** The settings module the person chose (the client, multisite.json); null: none chosen. */
  get chosenSettingsModule(): string | null {
    return this.location?.chosen ? this.location.module : null;
  }

  async open(params: OpenProjectParams): Promise<SitesResult> {
    if (params.settingsModule !== undefined) this.choice = settingsChoice(params);
    const hints = interpreterHints(params);
    if (JSON.stringify(hints) !== JSON.stringify(this.hints)) {
      this.found = null;
      this.finding = null;
    }
    this.hints = hints;
    // A request from an untrusted workspace never runs project code; it may see a table
    // that a trusted client's request read earlier.
    const trusted = params.trusted !== false;
    this.openedTrusted ||= trusted;
    const ask = trusted && (this.table === null || params.refresh === true || (await this.failedReadOutdated()));
    if (!ask || !params.sitesFirst) return this.reload(ask);
    // The files' sites at once; Django's follow as a change when its read lands, which begins once the
    // start the command makes next is served: never in front of a tree or a start, its interpreter probe included.
    this.answering ??= (this.events.startsSettled?.() ?? Promise.resolve())
      .then(() => this.reload(true))
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
    this.events.answerNeeded?.();
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

  /**
   * Re-reads the sites from the project's files (and its Sites table when `withTable` and trusted).
   */
  async reload(withTable: boolean): Promise<SitesResult> {
    // The interpreter's environment holds .pth files too (Poetry, uv and conda keep it outside the project):
    // found first when Django is asked anyway, which needs it.
    const found = withTable && this.openedTrusted ? await this.interpreter().catch((error: Error) => error) : null;
    const python = found && !(found instanceof Error) ? found : this.found;
    const environments = [this.hints.virtualEnv, python ? await environmentOf(python.path) : null].filter((e): e is string => !!e);
    let location = await locateSettings(this.root, this.choice, environments);
    this.location = location;
    // Django's answer is the answer of one settings module: another one is asked again.
    if (this.openedTrusted && this.table !== null && this.settingsModule !== this.tableModule) withTable = true;
    if (withTable && this.openedTrusted) {
      this.tableReading ??= this.readTable(found).finally(() => (this.tableReading = null));
      this.table = await this.tableReading;
    }
    // Where manage.py decides (it computes the name), Django said which module it ran: that one is read.
    const ran = this.openedTrusted && this.table?.ok ? this.table.facts.settingsModule : null;
    if (!location.passed && ran && ran !== location.module && isModuleName(ran)) {
      location = await locateSettings(this.root, { module: ran, from: 'manage.py, as Django ran it', passed: false }, environments);
      this.location = location;
    }
    const trusted = this.openedTrusted;
    const config = await readSiteConfig(this.root, {
      django: trusted ? this.table : null,
      settings: location,
      trusted,
      interpreter: trusted ? (this.found?.path ?? null) : null,
    });
    this.config = config;
    // Finding the migrations walks the project's folders: only when the table is (re)read.
    if (withTable || !this.tableDeps) this.tableDeps = await tableSources(this.root, config.watchFiles);
    await this.watcher.watch(this.root, config.watchFiles, this.tableDeps);
    const { watchFiles, servingFacts, django, settingsLocation, settingsFiles, ...result } = config; // these stay in the daemon
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

  /** What Django said when last asked, as the sites were read with it; null when it was not asked (never trusted). */
  get djangoRead(): DjangoRead | null {
    return this.openedTrusted ? this.table : null;
  }

  /** Django's major version, once the interpreter was found (no I/O: null before). */
  get djangoMajor(): number | null {
    return this.found?.djangoMajor ?? null;
  }

  /** The interpreter that runs the project and why, once found (no I/O: null before). */
  get chosenInterpreter(): ProjectInterpreter | null {
    const found = this.found;
    return found ? { path: found.path, origin: found.origin, djangoVersion: found.djangoVersion } : null;
  }

  /**
   * The interpreter that runs the project, found once per set of hints: callers at the same time (a
   * server's start beside Django's read) share one search, which probes each candidate with project code.
   */
  interpreter(): Promise<Interpreter> {
    this.finding ??= resolveInterpreter(this.root, this.hints, this.projectCode).then(
      (found) => (this.found = found),
      (error: unknown) => {
        this.finding = null; // not found: the next caller searches again (a venv may have been made meanwhile)
        throw error;
      },
    );
    return this.finding;
  }

  /**
   * The interpreter a server starts with at once: the search's answer once known; before it, the first
   * candidate that exists (interpreter.ts), so that a first start does not wait for the probes, nor
   * share the machine with them (Django's read searches once the start is served). A start that fails
   * with it is tried again with the search's answer.
   */
  async interpreterToStart(): Promise<string> {
    if (this.found) return this.found.path;
    return (await firstExistingCandidate(this.root, this.hints)) ?? (await this.interpreter()).path;
  }

  /**
   * Which database the project's settings resolve to (databaseIdentity.ts), probed once per
   * read of its files; null when unknown or when its code may not run.
   */
  databaseKey(): Promise<string | null> {
    const config = this.config;
    if (!config || !this.openedTrusted) return Promise.resolve(null);
    if (this.database?.config !== config) {
      const key = (async () => {
        // Django said it in the same read as the sites: no run of its own.
        if (config.django) return databaseKey(config.django.settings.database);
        // Only a module the runs get (not pytest's guess): the probe imports it without manage.py.
        const module = config.settingsLocation.passed ? config.settingsLocation.module : null;
        if (!module) return null;
        return databaseKey(await probeDatabase(this.projectCode, this.root, (await this.interpreter()).path, module));
      })().catch(() => null);
      this.database = { config, key };
    }
    return this.database.key;
  }

  /** Asks Django, with `found` (the interpreter, or why none, when this read looked for it already). */
  private async readTable(found: Interpreter | Error | null): Promise<DjangoRead> {
    this.tableModule = this.settingsModule;
    const python = found ?? (await this.interpreter().catch((error: Error) => error));
    if (python instanceof Error) return { ok: false, reason: python.message, file: null, line: null };
    this.tableReadStarted = Date.now();
    return askDjango(this.projectCode, this.root, python.path);
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
