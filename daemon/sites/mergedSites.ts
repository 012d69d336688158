/**
 * The project's sites as one list, merged from what the files declare and what
 * Django's tables hold (siteConfig.ts reads both): each declared site with the
 * Sites table row of its id, then the rows no file declares, then
 * multisite.json's Test and extra local domains by slug. Every domain passes
 * the gate (domainGate.ts) and keeps where it came from; where the table and the
 * files disagree, that is reported, never silently resolved.
 */
import type { ConfigDiagnostics } from './configDiagnostics';
import type { Declared } from './declaredSites';
import type { DomainGate, DomainPlace, GatedDomain } from './domainGate';
import type { DjangoFacts } from './djangoFacts';
import { contribSites, otherFrameworkSites } from './frameworkSites';
import { MULTISITE_JSON } from './multisiteJson';
import type { MultisiteJson } from './multisiteJson';
import { SETTING } from './multisitePlusSettings';
import type { Site } from '../../protocol/protocol';
import { applyRewriteFormat } from './rewriteFormat';
import { endSentence, quoted } from '../base/sentence';

/** Where django-multisite's aliases of a site come from, as the tree shows it. */
const ALIASES = 'Alias table (django-multisite)';
const TABLE: DomainPlace = { file: null, line: null, label: 'Sites table' };

/** The rewrite format in force, with where it is written (nowhere for the default). */
export interface RewriteFormat {
  value: string;
  label: string;
  file: string | null;
  line: number | null;
}

/** How the declared sites map to domains: the rewrite format and multisite-plus's flags. */
export interface DomainRules {
  format: RewriteFormat;
  rewriteDomains: boolean;
  useRealDomain: boolean;
  /** Whether multisite-plus writes the Sites table itself (autoPopulateLock). */
  autoPopulated: boolean;
}

/** Adds a domain that passed the gate to the names hosts mode points here, with where it came from. */
function addLocal(site: Site, domain: GatedDomain | null, source: string): void {
  if (domain && !site.domains.local.includes(domain.ascii)) {
    site.domains.local.push(domain.ascii);
    site.fieldSources[domain.ascii] = source;
  }
}

/** The site's domains, as the declared sites and Django's tables give them (multisite.json comes after: applyMultisiteJson). */
export function mergedSites(
  declared: Map<string, Declared>,
  facts: DjangoFacts | null,
  rules: DomainRules,
  { report, disagree }: ConfigDiagnostics,
  gate: DomainGate,
): Site[] {
  const { format, rewriteDomains, useRealDomain, autoPopulated } = rules;
  // Where a framework keeps sites of its own (Wagtail, django-tenants), the Sites table's rows route no request.
  const frameworkRows = facts ? otherFrameworkSites(facts) : [];
  const tableRows = new Map((facts && frameworkRows.length === 0 ? contribSites(facts) : []).map((row) => [row.id, row]));
  // Django matches a Site's domain against the request's Host, port included: a table row may carry one.
  const tableDomain = (domain: string, slug: string): GatedDomain | null => gate(domain, slug, TABLE, { port: true });

  /** The rewrite format applied to the site's slug: the Test domain, and the live one when no real_domain is given. */
  const formatFor = (d: Declared): GatedDomain | null => {
    let rewritten: string;
    try {
      rewritten = applyRewriteFormat(format.value, d.slug);
    } catch (problem) {
      report('warning', endSentence(`${SETTING.format} (${format.label}): ${(problem as Error).message}`), format.file, format.line);
      return null;
    }
    // The default format is written nowhere: a bad result comes from the slug, on the site's line.
    return gate(rewritten, d.slug, { file: format.file ?? d.id.file, line: format.line ?? d.id.line, label: format.label });
  };

  const sites: Site[] = [];
  for (const d of declared.values()) {
    const rewritten = formatFor(d);
    // A real_domain that is no domain leaves the site without one: the rewritten domain is not what it says.
    const real = d.realDomain?.value ?? null;
    const live = d.realDomain ? real : rewritten;
    // What multisite-plus writes into the Sites table (Site.update_site).
    const expectedAdmin = useRealDomain ? real : rewriteDomains || !d.realDomain ? rewritten : real;
    const sources = [...new Set([d.id.label, ...(d.realDomain ? [d.realDomain.label] : [])])];
    const site: Site = {
      id: d.id.value,
      slug: d.slug,
      name: d.name?.value ?? null,
      domains: { live: live?.written ?? null, test: rewritten?.written ?? null, local: [] },
      aliases: d.aliases.map((a) => a.value.written),
      autoPopulated,
      localhostUrl: null,
      portUrl: null,
      sources,
      fieldSources: { id: d.id.label, ...(d.name ? { name: d.name.label } : {}), live: d.realDomain?.label ?? format.label, test: format.label },
    };
    const row = tableRows.get(d.id.value);
    if (row) {
      tableRows.delete(d.id.value);
      site.sources.push('Sites table');
      const rowDomain = tableDomain(row.domain, d.slug);
      addLocal(site, rowDomain, 'Sites table');
      for (const alias of row.aliases) addLocal(site, tableDomain(alias, d.slug), ALIASES);
      // A row whose domain is no domain was reported as such: comparing it would say it twice.
      if (rowDomain && expectedAdmin && row.domain !== expectedAdmin.written && row.domain !== live?.written) {
        disagree(
          'info',
          `Site ${quoted(d.slug)} has domain ${row.domain} in the Sites table, but ${d.id.label} declares ${expectedAdmin.written}.`,
          d.id.file,
          d.id.line,
        );
      }
    } else {
      addLocal(site, expectedAdmin, `${d.id.label} (Sites table domain)`);
    }
    addLocal(site, live, site.fieldSources.live);
    for (const alias of d.aliases) addLocal(site, alias.value, alias.label);
    sites.push(site);
  }

  // Sites only in Django's tables: plain django.contrib.sites projects, then the frameworks that keep their own.
  const usedSlugs = new Set(sites.map((s) => s.slug));
  const rowSites = [
    ...[...tableRows.values()].map((row) => ({ ...row, slug: row.domain.split('.')[0], domains: [row.domain, ...row.aliases], source: 'Sites table' })),
    ...frameworkRows,
  ];
  for (const row of rowSites) {
    let slug = row.slug || String(row.id);
    if (usedSlugs.has(slug)) slug = `${slug}-${row.id}`;
    usedSlugs.add(slug);
    const [live, ...more] = row.domains.map((d) => tableDomain(d, slug));
    const site: Site = {
      id: row.id,
      slug,
      name: row.name || null,
      domains: { live: live?.written ?? null, test: null, local: [] },
      aliases: [],
      autoPopulated,
      localhostUrl: null,
      portUrl: null,
      sources: [row.source],
      fieldSources: { id: row.source, name: row.source, live: row.source },
    };
    addLocal(site, live, row.source);
    for (const domain of more) addLocal(site, domain, row.source === 'Sites table' ? ALIASES : row.source);
    sites.push(site);
  }
  return sites;
}

/** multisite.json: Test domains and extra local domains by slug, on the merged `sites`; its problems reported at its lines. */
export function applyMultisiteJson(projectFile: MultisiteJson, sites: Site[], { report, error }: ConfigDiagnostics, gate: DomainGate): void {
  for (const p of projectFile.problems) {
    if (p.severity === 'error') error(p.message, projectFile.file, p.line);
    else report('warning', endSentence(p.message), projectFile.file, p.line);
  }
  // By slug, once: a search of the list per configured site took seconds for 5,000 sites.
  const bySlug = new Map(sites.map((s) => [s.slug, s]));
  for (const [slug, override] of projectFile.sites) {
    const site = bySlug.get(slug);
    const source = `${MULTISITE_JSON}:${override.line}`;
    const where: DomainPlace = { file: projectFile.file, line: override.line, label: source };
    if (!site) {
      report('warning', `${MULTISITE_JSON} configures site ${quoted(slug)}, which no other source declares.`, where.file, where.line);
      continue;
    }
    if (override.test !== undefined) {
      // Said here, so the rewritten Test domain no longer holds, even when this one is no domain.
      site.domains.test = gate(override.test, slug, where)?.written ?? null;
      site.fieldSources.test = source;
    }
    for (const domain of override.local ?? []) addLocal(site, gate(domain, slug, where), source);
    if (!site.sources.includes(source)) site.sources.push(source);
  }
}
