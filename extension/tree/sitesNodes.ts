/**
 * The Sites view's rows as data: project -> sites -> the site's own address,
 * its Live, Test and local domains, and where each was declared. A project
 * where no site was found lists what was tried instead, and the next step.
 */
import type { BackendState, Site } from '../../protocol/protocol';
import { nextStep, nothingFound, whatWasTried } from '../../client/sitesSearchText';
import type { NextStep } from '../../client/sitesSearchText';
import { siteIdName } from '../../protocol/siteLabel';
import type { ProjectView } from '../projects/projectRegistry';

export type DomainRole = 'live' | 'test' | 'local';

export type SitesNode =
  /** `sharing`: the names of the other projects on its database (the window's, see databaseGroup.ts). */
  | { kind: 'project'; project: ProjectView; sharing: string[] }
  | { kind: 'site'; project: ProjectView; site: Site }
  | { kind: 'address'; project: ProjectView; site: Site; url: string }
  | { kind: 'domain'; project: ProjectView; site: Site; role: DomainRole; domain: string; source: string | null }
  | { kind: 'detail'; project: ProjectView; site: Site; label: string; value: string; source: string | null }
  /** No site was found: one thing that was tried (the settings module, the interpreter, a source). */
  | { kind: 'tried'; project: ProjectView; label: string; value: string; index: number }
  | { kind: 'next'; project: ProjectView; step: NextStep };

/** What a site is doing now, for its icon, menus and tooltip. */
export type SitePhase = 'current' | 'starting' | 'failed' | 'warm' | 'stopped';

export function isCurrent(project: ProjectView, site: Site): boolean {
  return project.state?.currentSite?.slug === site.slug;
}

/** The warm backend serving `site` behind the proxy (the one Host-routed backend serves every site). */
export function backendOf(project: ProjectView, site: Site): BackendState | undefined {
  return project.state?.backends.find((b) => b.site === site.slug || b.site === null);
}

export function sitePhase(project: ProjectView, site: Site): SitePhase {
  const phase = isCurrent(project, site) ? project.state?.server.phase : backendOf(project, site)?.phase;
  switch (phase) {
    case 'starting':
      return 'starting';
    case 'failed':
      return 'failed';
    case 'running':
      return isCurrent(project, site) ? 'current' : 'warm';
    default:
      return 'stopped';
  }
}

/** Whether Django said the project's django-multisite-plus table is empty: Populate Sites fills it. */
export function needsPopulate(project: ProjectView): boolean {
  return project.sites?.diagnostics.some((d) => d.code === 'multisite-plus-empty') ?? false;
}

/** Whether the project was read, without an error, and no site came of it. */
export function nothingFoundIn(project: ProjectView): boolean {
  return project.sites !== null && project.error === null && nothingFound(project.sites);
}

/** The project's sites, or, where none was found, what was tried and the next step. */
export function sitesOf(project: ProjectView): SitesNode[] {
  const result = project.sites;
  if (result && nothingFoundIn(project)) {
    const tried = whatWasTried(result).map((t, index): SitesNode => ({ kind: 'tried', project, label: t.label, value: t.value, index }));
    return [{ kind: 'next', project, step: nextStep(result) }, ...tried];
  }
  return (result?.sites ?? []).map((site) => ({ kind: 'site', project, site }));
}

/** A site's rows: its own address, its domains (Live, Test, then local ones), its id, slug and sources. */
export function childrenOf(project: ProjectView, site: Site): SitesNode[] {
  const domains: SitesNode[] = [];
  const domain = (role: DomainRole, name: string | null, source: string | null): void => {
    if (name) domains.push({ kind: 'domain', project, site, role, domain: name, source });
  };
  domain('live', site.domains.live, site.fieldSources.live ?? null);
  domain('test', site.domains.test, site.fieldSources.test ?? null);
  for (const local of site.domains.local) {
    if (local !== site.domains.live) domain('local', local, site.fieldSources[local] ?? null);
  }
  const detail = (label: string, value: string, source: string | null): SitesNode => ({ kind: 'detail', project, site, label, value, source });
  const address = (url: string | null): SitesNode[] => (url ? [{ kind: 'address', project, site, url }] : []);
  // Its own port after its domains: the `.localhost` address and the domains are what a person looks for first.
  return [
    ...address(site.localhostUrl),
    ...domains,
    ...address(site.portUrl),
    detail(siteIdName(site), String(site.id ?? '?'), site.fieldSources.id ?? null),
    detail('Slug', site.slug, null),
    ...site.sources.map((source) => detail('Source', source, source)),
  ];
}

/** `path/to/file.py:12` (relative to the project) -> the file and 0-based line, when the source is a place in a file. */
export function sourceLocation(source: string | null): { file: string; line: number } | null {
  const match = source ? /^(.+):(\d+)/.exec(source) : null;
  return match ? { file: match[1], line: Number(match[2]) - 1 } : null;
}
