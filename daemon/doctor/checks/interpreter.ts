/**
 * interpreter: no candidate interpreter can import Django, so runserver cannot
 * start. Every candidate tried is listed with where it came from and why it
 * failed. Only where the project's code may run (probing runs Python in the
 * project): the CLI, a trusted workspace; and only for local runserver
 * (compose has its own). The one found, and why, is the report's
 * `interpreter` (the daemon reads it from the same search, shared with this check).
 */
import type { DoctorFinding } from '../../../protocol/protocol';
import { NoInterpreterError } from '../../runners/interpreter';
import type { DoctorCheck } from '../doctorCheck';

export function noInterpreterFinding(tried: readonly string[]): DoctorFinding {
  return {
    code: 'interpreter',
    severity: 'error',
    message: `No Python interpreter can import Django (tried ${tried.join(', ')}), so runserver cannot start: select an interpreter with Django in the Python extension, create a virtualenv with Django in .venv, or set python.defaultInterpreterPath.`,
    file: null,
    line: null,
  };
}

export const interpreter: DoctorCheck = {
  code: 'interpreter',
  run: async (context) => {
    if (!context.trusted) return [];
    try {
      await context.interpreter();
      return [];
    } catch (error) {
      if (error instanceof NoInterpreterError) return [noInterpreterFinding(error.tried)];
      throw error;
    }
  },
};
