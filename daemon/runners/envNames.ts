/**
 * The folder names Poetry and Pipenv give a project's virtualenv outside the
 * project: a sanitized name and a hash of where the project is. Computed as the
 * tools compute them (Poetry's EnvManager.generate_env_name, Pipenv's
 * Project._get_virtualenv_hash), so the environment they made is found without
 * running them: neither may be installed where the daemon runs.
 */
import { createHash } from 'node:crypto';

/** The first `n` characters as Python counts them (code points, not UTF-16 units). */
function firstChars(text: string, n: number): string {
  return Array.from(text).slice(0, n).join('');
}

/** The first 8 characters of the URL-safe base64 of a SHA-256 (Python's `base64.urlsafe_b64encode(...)[:8]`). */
function hash8(text: string, bytes?: number): string {
  const digest = createHash('sha256').update(text, 'utf8').digest();
  return (bytes === undefined ? digest : digest.subarray(0, bytes)).toString('base64url').slice(0, 8);
}

/** PEP 503's normalized name, as poetry-core's Package keeps its `name`. */
export function canonicalPackageName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * Poetry's name for a project's environments, before its `-py3.X` suffix: the package's name,
 * lowered and sanitized, and a hash of the project's folder (`os.path.normcase(os.path.realpath(cwd))`:
 * `projectDir` must already be the real path).
 */
export function poetryEnvName(packageName: string, projectDir: string, windows = process.platform === 'win32'): string {
  const sanitized = firstChars(canonicalPackageName(packageName).replace(/[ $`!*@"\\\r\n\t]/g, '_'), 42);
  const normalized = windows ? projectDir.toLowerCase().replace(/\//g, '\\') : projectDir;
  return `${sanitized}-${hash8(normalized)}`;
}

/**
 * Pipenv's name for a project's virtualenv: the name of the Pipfile's folder, sanitized, and a hash of the
 * Pipfile's path (the first 6 bytes of its SHA-256: 8 characters of base64).
 */
export function pipenvEnvName(folderName: string, pipfilePath: string): string {
  const sanitized = firstChars(folderName.replace(/[ &$`!*@"()[\]\\\r\n\t]/g, '_'), 42);
  return `${sanitized}-${hash8(pipfilePath, 6)}`;
}
