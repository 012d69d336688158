/**
 * docker: a compose project, and no compose command line or no Docker Engine
 * answering it, so its web service cannot be started. `docker info` is given
 * at most 3 s: a stopped engine makes the client wait.
 */
import { dockerEngineProblem, findComposeCli } from '../../compose/composeCli';
import type { DoctorFinding } from '../../../protocol/protocol';
import { firstSentence } from '../../base/sentence';
import type { DoctorCheck } from '../doctorCheck';

/** How long `docker info` may take before the engine counts as not answering. */
export const ENGINE_TIMEOUT_MS = 3000;

/** The finding for what is missing: the compose CLI (`problem` null), or the engine (`problem` says why). */
export function dockerFinding(missing: 'cli' | 'engine', problem: string | null = null): DoctorFinding {
  const message =
    missing === 'cli'
      ? 'Neither "docker compose" nor "docker-compose" is installed, so the compose project cannot be served: install Docker Compose.'
      : `No Docker Engine answers (${firstSentence(problem ?? 'docker info failed')}), so the compose project cannot be served: start Docker.`;
  return { code: 'docker', severity: 'error', message, file: null, line: null };
}

export const docker: DoctorCheck = {
  code: 'docker',
  run: async (context) => {
    if (context.runner !== 'compose') return [];
    if (!(await findComposeCli())) return [dockerFinding('cli')];
    const problem = await dockerEngineProblem(ENGINE_TIMEOUT_MS);
    return problem === null ? [] : [dockerFinding('engine', problem)];
  },
};
