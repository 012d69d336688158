/**
 * django-setup: Django cannot start with the project's settings, so nothing
 * Django would say (its sites, its system checks, its database) is known, and
 * runserver fails the same way. From the failed "ask Django" read
 * (sites/askDjango.ts): the exception's last line and the project line it
 * points at. A module the settings import that the interpreter lacks is named
 * with the interpreter (install it there, or choose the one that has it); a
 * module of the project's own that does not exist is named as such.
 * Django not asked at all (an untrusted workspace, no interpreter) is said as
 * this check not run: nothing is known either way.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { DoctorFinding } from '../../../protocol/protocol';
import { asClause } from '../../base/sentence';
import type { DjangoRead } from '../../sites/askDjango';
import type { DjangoFacts } from '../../sites/djangoFacts';
import type { SiteConfig } from '../../sites/siteConfig';
import { CheckNotRun } from '../doctorCheck';
import type { DoctorCheck, DoctorContext } from '../doctorCheck';
import { modulePlace, placeLabel } from '../settingsPlace';
import type { Place } from '../settingsPlace';

type Failure = Extract<DjangoRead, { ok: false }>;

/** Why Django's answer is missing, for the checks that need it (`python` null: no interpreter could ask). */
export function notAsked(read: Failure | null, python: string | null): string {
  if (!read)
    return 'Django was not asked about the project: the workspace is not trusted, so its code may not run (trust it, or run multisite-local doctor in a terminal)';
  // The interpreter finding lists every candidate tried: not repeated on each line.
  if (!python) return 'Django could not be asked about the project: no Python interpreter can import Django';
  return `Django could not be asked about the project (${asClause(read.reason)})`;
}

/** Django's answer, or CheckNotRun saying why there is none, with `what` the check could not do. */
export async function djangoFacts(context: DoctorContext, what: string): Promise<DjangoFacts> {
  const read = await context.djangoRead();
  if (read?.ok) return read.facts;
  const python = read
    ? await context.interpreter().then(
        (found) => found.path,
        () => null,
      )
    : null;
  throw new CheckNotRun(`${what}: ${notAsked(read, python)}`);
}

/** The module a ModuleNotFoundError names (`No module named 'environ'`), or null. */
export function missingModule(reason: string): string | null {
  return /\b(?:ModuleNotFoundError|ImportError): No module named '([\w.]+)'/.exec(reason)?.[1] ?? null;
}

export interface FailureFacts {
  root: string;
  /** The failed read. */
  read: Failure;
  /** The interpreter it ran with. */
  python: string;
  /** Whether the missing module's top package is a folder or file of the project (its own module, not a package to install). */
  projectModule: boolean;
  /** The settings line naming the missing module, when one does. */
  naming: Place | null;
  /** Whether the read's point of failure is in the settings files (an import of them failed), not in setup(). */
  inSettings: boolean;
}

export function setupFailureFinding(facts: FailureFacts): DoctorFinding {
  const { root, read, python } = facts;
  const point: Place = { file: read.file, line: read.line };
  const module = missingModule(read.reason);
  if (module) {
    // The settings line naming it says more than the frame Django's app loading failed in.
    const place = facts.inSettings || !facts.naming ? point : facts.naming;
    const where = placeLabel(root, place);
    const at = where ? ` (${where})` : '';
    const message = facts.projectModule
      ? `The settings import ${module}${at}, which does not exist in the project (ModuleNotFoundError), so Django cannot start: create it (a local settings module is often made from an example beside it), or remove the import.`
      : `The settings import ${module}${at}, which ${python} cannot import (ModuleNotFoundError), so Django cannot start: install the package that provides ${module.split('.')[0]} into that interpreter's environment, or choose the interpreter that has it.`;
    return { code: 'django-setup', severity: 'error', message, file: place.file, line: place.line };
  }
  const where = placeLabel(root, point);
  const raised = `${asClause(read.reason)}${where ? ` (raised at ${where})` : ''}`;
  const message = !where
    ? `Django could not start with ${python}: ${raised}.`
    : facts.inSettings
      ? `The settings cannot be imported with ${python}: ${raised}, so Django cannot start: fix it there.`
      : `django.setup() raised ${raised} with ${python}, so Django cannot start: fix it there.`;
  return { code: 'django-setup', severity: 'error', message, file: point.file, line: point.line };
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Settings Python refuses are config-error's finding already (on the line Python names): not said twice. */
function saidAsConfigError(config: SiteConfig, read: Failure): boolean {
  return read.file !== null && config.diagnostics.some((d) => d.code === 'config-error' && d.file === read.file);
}

export const djangoSetup: DoctorCheck = {
  code: 'django-setup',
  run: async (context) => {
    const read = await context.djangoRead();
    if (read?.ok) return [];
    const python = read
      ? await context.interpreter().then(
          (found) => found.path,
          () => null,
        )
      : null;
    // No interpreter: the interpreter check says which were tried; nothing of Django is known.
    if (!read || !python) throw new CheckNotRun(notAsked(read, python));
    if (saidAsConfigError(context.config, read)) return [];
    const module = missingModule(read.reason);
    const top = module?.split('.')[0] ?? null;
    const projectModule = top !== null && ((await exists(path.join(context.root, top))) || (await exists(path.join(context.root, `${top}.py`))));
    return [
      setupFailureFinding({
        root: context.root,
        read,
        python,
        projectModule,
        naming: module ? await modulePlace(context.config, module) : null,
        // manage.py is watched (it may name the module) but is no settings file: a failure there is Django's start.
        inSettings: read.file !== null && context.config.settingsFiles.includes(read.file),
      }),
    ];
  },
};
