/**
 * What a person reads when a project's sites were looked for and none was
 * found (issue 23): what was tried (the settings module, the interpreter, the
 * frameworks Django reported, every source looked in) and the one next step.
 * Shared by the Sites view and the CLI's `sites`, so both say the same.
 */
import type { SitesResult } from '../protocol/protocol';

export interface TriedLine {
  label: string;
  value: string;
}

/**
 * `populate`: django-multisite-plus's table is empty and the settings declare sites;
 * `trust`: Django's tables were not read because the workspace is not trusted;
 * `doctor`: something stood in the way of reading (no settings module, Django failed);
 * `writeConfig`: everything was read and nothing declares a site.
 */
export type NextStepKind = 'populate' | 'trust' | 'doctor' | 'writeConfig';

export interface NextStep {
  kind: NextStepKind;
  /** The button's words. */
  title: string;
  /** Why this step, in a sentence. */
  why: string;
  /** The same step from a terminal. */
  cli: string;
}

/** Whether the project was read and no site came of it (an unreadable config is said by its errors instead). */
export function nothingFound(result: SitesResult): boolean {
  return result.sites.length === 0;
}

export function whatWasTried(result: SitesResult): TriedLine[] {
  const { settingsModule, interpreter, frameworks, djangoNotRead } = result.searched;
  // Why Django's answer is missing is said once, in the "Looked in" row of its tables (sitesSought.ts).
  const noInterpreter =
    djangoNotRead === 'untrusted'
      ? 'not looked for (the workspace is not trusted)'
      : djangoNotRead === 'pending'
        ? 'being looked for'
        : 'none found that can import Django';
  const noFrameworks = djangoNotRead === 'pending' ? 'not known yet: Django is being asked' : 'not known: Django’s tables were not read';
  return [
    { label: 'Settings module', value: settingsModule ?? 'none found (manage.py names no DJANGO_SETTINGS_MODULE)' },
    { label: 'Interpreter', value: interpreter ?? noInterpreter },
    { label: 'Frameworks', value: frameworks === null ? noFrameworks : frameworks.length ? frameworks.join(', ') : 'no multi-site framework installed' },
    ...result.sitesSought.map((value) => ({ label: 'Looked in', value })),
  ];
}

export function nextStep(result: SitesResult): NextStep {
  const { settingsModule, djangoNotRead } = result.searched;
  if (result.diagnostics.some((d) => d.code === 'multisite-plus-empty')) {
    return {
      kind: 'populate',
      title: 'Populate Sites',
      why: "django-multisite-plus's table of sites is empty: Populate Sites writes the sites the settings declare, as a deployment does.",
      cli: 'multisite-local populate',
    };
  }
  if (djangoNotRead === 'untrusted') {
    return {
      kind: 'trust',
      title: 'Trust this Workspace',
      why: "Django's own tables (the Sites table, Wagtail's Sites, the tenants' domains) are read by running the project's code, which Restricted Mode forbids.",
      cli: 'multisite-local sites --refresh',
    };
  }
  if (!settingsModule || (djangoNotRead && djangoNotRead !== 'pending')) {
    return {
      kind: 'doctor',
      title: 'Run Doctor',
      why: settingsModule ? 'Django could not be read: the doctor says why and where.' : 'No settings module was found: the doctor says where it looked.',
      cli: 'multisite-local doctor',
    };
  }
  return {
    kind: 'writeConfig',
    title: 'Write multisite.json',
    why: 'Nothing declares a site: declare the sites in the settings (DJANGO_MULTISITE_PLUS_SITES) or add them to a framework’s table (the admin), then refresh; multisite.json, started from what was detected (port, runner), says what settings cannot.',
    cli: 'declare the sites in the settings (DJANGO_MULTISITE_PLUS_SITES) or add them to a framework’s table (the admin), then multisite-local sites --refresh',
  };
}

/** The whole of it as lines of text (the CLI's stdout). */
export function nothingFoundText(result: SitesResult): string {
  const tried = whatWasTried(result);
  const width = Math.max(...tried.map((t) => t.label.length));
  const step = nextStep(result);
  return [
    `No site was found in ${result.project.root}. What was tried:`,
    ...tried.map((t) => `  ${t.label.padEnd(width)}  ${t.value}`),
    `Next: ${step.cli}`,
    `  ${step.why}`,
  ].join('\n');
}
