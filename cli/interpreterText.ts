/** The line `status` and `doctor` print about the Python that runs a project: which one, why, and its Django. */
import type { ProjectInterpreter } from '../protocol/protocol';

export function interpreterLine(interpreter: ProjectInterpreter | null | undefined): string | null {
  if (!interpreter) return null;
  const django = interpreter.djangoVersion ? `, Django ${interpreter.djangoVersion}` : '';
  return `Python: ${interpreter.path} (${interpreter.origin}${django})`;
}
