/**
 * database: what reading the project's tables in Django's answer
 * (sites/askDjango.ts) said of the database: it cannot be reached (an error:
 * runserver answers every page that touches it with 500), or its tables are
 * not migrated yet (a warning: migrate). Said only where Django read a table
 * (the multi-site frameworks' sites); without Django's answer this check did
 * not run.
 */
import * as path from 'node:path';
import type { DoctorFinding } from '../../../protocol/protocol';
import { asClause, listed } from '../../base/sentence';
import type { DjangoFacts, DjangoProblem } from '../../sites/djangoFacts';
import type { DoctorCheck } from '../doctorCheck';
import { placeLabel, settingPlace } from '../settingsPlace';
import type { Place } from '../settingsPlace';
import { djangoFacts } from './djangoSetup';

/** Django's system checks failing is django-check's to say. */
export const CHECKS_PROBLEM = "Django's system checks";

/** A table Django asked for does not exist: sqlite, PostgreSQL and MySQL say it so. */
const NOT_MIGRATED = /no such table|relation "[^"]+" does not exist|Table '[^']+' doesn't exist/i;
/** The database itself did not answer: a server down or unknown, refused credentials, a file that cannot be opened. */
const UNREACHABLE =
  /could not connect|connection refused|accepting (?:TCP\/IP )?connections|unable to open database|password authentication failed|database "[^"]+" does not exist|could not translate host name|timeout expired|Can't connect|Unknown database/i;

export function problemKind(problem: DjangoProblem): 'notMigrated' | 'unreachable' | 'other' {
  if (NOT_MIGRATED.test(problem.message)) return 'notMigrated';
  if (UNREACHABLE.test(problem.message) || problem.type === 'OperationalError' || problem.type === 'InterfaceError') return 'unreachable';
  return 'other';
}

/** The database as people name it: `django.db.backends.postgresql shelfwise at localhost:5432`. */
function describe(facts: DjangoFacts): string {
  const { engine, name, host, port } = facts.settings.database;
  const at = host ? ` at ${host}${port ? `:${port}` : ''}` : '';
  return `${engine || 'the default database'}${name ? ` ${name}` : ''}${at}`;
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

export function databaseFindings(facts: DjangoFacts, root: string, databases: Place): DoctorFinding[] {
  const problems = facts.problems.filter((p) => p.what !== CHECKS_PROBLEM);
  const findings: DoctorFinding[] = [];
  const unreachable = problems.filter((p) => problemKind(p) === 'unreachable');
  if (unreachable.length > 0) {
    const where = placeLabel(root, databases);
    findings.push({
      code: 'database',
      severity: 'error',
      message: `The database (${describe(facts)}) cannot be reached, so ${listed(unreachable.map((p) => p.what))} could not be read (${asClause(unreachable[0].message)}): start it, or point DATABASES${where ? ` (${where})` : ''} at one that runs.`,
      file: databases.file,
      line: databases.line,
    });
  }
  const notMigrated = problems.filter((p) => problemKind(p) === 'notMigrated');
  if (notMigrated.length > 0) {
    findings.push({
      code: 'database',
      severity: 'warning',
      message: `${capitalized(listed(notMigrated.map((p) => p.what)))} could not be read: the database (${describe(facts)}) has no such table yet (${asClause(notMigrated[0].message)}): run python manage.py migrate.`,
      file: null,
      line: null,
    });
  }
  for (const p of problems.filter((q) => problemKind(q) === 'other')) {
    // A frame in Django's own files (the read's query) is nothing to open: only the project's files are.
    const own = p.file !== null && !path.relative(root, p.file).startsWith('..') && !path.isAbsolute(path.relative(root, p.file));
    findings.push({
      code: 'database',
      severity: 'warning',
      message: `Django could not read ${p.what}: ${asClause(p.message)}.`,
      file: own ? p.file : null,
      line: own ? p.line : null,
    });
  }
  return findings;
}

export const database: DoctorCheck = {
  code: 'database',
  run: async (context) => {
    const facts = await djangoFacts(context, 'The database was not checked');
    if (facts.problems.length === 0) return [];
    return databaseFindings(facts, context.root, await settingPlace(context.config, 'DATABASES'));
  },
};
