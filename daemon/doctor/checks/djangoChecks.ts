/**
 * django-check: Django's own system checks (what `manage.py check` prints),
 * run in the same read as the project's sites (sites/askDjangoScript.ts), each
 * a finding with its id (`sites.E101`, `security.W004`, …): errors and
 * critical messages as errors (runserver refuses to start on them), warnings
 * as warnings, information as information. Silenced ones
 * (SILENCED_SYSTEM_CHECKS) are left out, as manage.py check leaves them out.
 * A message about a setting points at the line assigning it, else at the
 * settings module's file.
 */
import type { DoctorFinding, Severity } from '../../../protocol/protocol';
import { asClause, endSentence } from '../../base/sentence';
import type { DjangoCheck } from '../../sites/djangoFacts';
import { CheckNotRun } from '../doctorCheck';
import type { DoctorCheck } from '../doctorCheck';
import { settingPlace } from '../settingsPlace';
import type { Place } from '../settingsPlace';
import { CHECKS_PROBLEM } from './database';
import { djangoFacts } from './djangoSetup';

/** Django's levels (django.core.checks): 40 error and 50 critical stop runserver; 30 warning; 20 info; 10 debug is not shown. */
export function checkSeverity(level: number): Severity | null {
  if (level >= 40) return 'error';
  if (level >= 30) return 'warning';
  if (level >= 20) return 'info';
  return null;
}

/** The setting a message names (`The SITE_ID setting must be an integer.`): an upper-case name with an underscore, or DEBUG. */
export function settingNamed(check: DjangoCheck): string | null {
  return /\b(DEBUG|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/.exec(`${check.message} ${check.hint ?? ''}`)?.[1] ?? null;
}

export function djangoCheckFinding(check: DjangoCheck, place: Place | null): DoctorFinding | null {
  const severity = checkSeverity(check.level);
  if (!severity) return null;
  const about = check.object ? ` (${check.object})` : '';
  // One sentence: the hint (what Django advises) in brackets after the message.
  const hint = check.hint ? ` (${asClause(check.hint)})` : '';
  return {
    code: 'django-check',
    severity,
    message: endSentence(`Django's system check ${check.id || '(no id)'}${about}: ${asClause(check.message)}${hint}`),
    file: place?.file ?? null,
    line: place?.line ?? null,
  };
}

export const djangoChecks: DoctorCheck = {
  code: 'django-check',
  run: async (context) => {
    const facts = await djangoFacts(context, "Django's system checks did not run");
    const failed = facts.problems.find((p) => p.what === CHECKS_PROBLEM);
    if (failed) throw new CheckNotRun(`Django's system checks could not run: ${asClause(failed.message)}`);
    const findings = await Promise.all(
      facts.checks.map(async (check) => {
        const setting = settingNamed(check);
        return djangoCheckFinding(check, setting ? await settingPlace(context.config, setting) : null);
      }),
    );
    return findings.filter((f): f is DoctorFinding => f !== null);
  },
};
