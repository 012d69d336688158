/**
 * Which Python runs a project, through the real CLI and daemon with real
 * interpreters, on layouts made at test time as the tools make them: a pyenv
 * shim first on PATH whose Python has no Django (the system's python3 further
 * on is found and the shim named), a Poetry environment in a Poetry cache
 * folder named by POETRY_CACHE_DIR, and uv's `.venv` and
 * UV_PROJECT_ENVIRONMENT. The environments are real virtualenvs of
 * /usr/bin/python3 that see its Django (`--system-site-packages`). Where each
 * was found shows in `status` and the doctor.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ResponseError } from 'vscode-jsonrpc';
import { DaemonErrorCode, GetProjectState, OpenProject } from '../../protocol/protocol';
import type { OpenProjectParams, ProjectInterpreter } from '../../protocol/protocol';
import { pipenvEnvName, poetryEnvName } from '../../daemon/runners/envNames';
import { runCli } from '../support/cli';
import { copyProject, DEMO_SOURCE } from '../support/demoProject';
import { tempFolder } from '../support/tempProject';
import { useSandbox } from '../support/useSandbox';

/** A virtualenv of /usr/bin/python3 at `dir` that imports the system's Django. */
function makeVenv(dir: string): string {
  mkdirSync(path.dirname(dir), { recursive: true });
  execFileSync('/usr/bin/python3', ['-m', 'venv', '--system-site-packages', dir], { stdio: 'pipe' });
  return path.join(dir, 'bin', 'python');
}

describe('which Python runs a project (real CLI, daemon and interpreters)', function () {
  this.timeout(120_000);
  const sandbox = useSandbox({ requires: ['django'], project: { source: DEMO_SOURCE, setup: false } });
  const made: string[] = [];
  after(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the demo without its virtualenv, at its real path (the daemon names projects by it). */
  function project(): string {
    const root = realpathSync(copyProject(DEMO_SOURCE, false));
    made.push(root);
    return root;
  }

  /** A person's shell: their own PATH and HOME, and the tools' variables. */
  function shell(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const home = tempFolder('python-home');
    made.push(home);
    // What the test process has of these would leak into the shell otherwise.
    const cleared = { VIRTUAL_ENV: '', CONDA_PREFIX: '', PYENV_ROOT: '', POETRY_CACHE_DIR: '', UV_PROJECT_ENVIRONMENT: '', WORKON_HOME: '' };
    return { ...sandbox().env, ...cleared, HOME: home, PATH: '/usr/bin:/bin', ...extra };
  }

  async function interpreterOf(root: string, env: NodeJS.ProcessEnv): Promise<ProjectInterpreter | null> {
    const listed = await runCli(['sites', '--project', root], env, root);
    assert.ok(!/No Python interpreter/.test(listed.stderr), listed.stderr);
    const status = await runCli(['status', '--json', '--project', root], env, root);
    assert.equal(status.code, 0, status.stderr);
    const { project } = JSON.parse(status.stdout) as { project: { interpreter: ProjectInterpreter | null } | null };
    assert.ok(project, `${root} is not in the status`);
    return project.interpreter;
  }

  it('skips a pyenv shim first on PATH that cannot import Django, runs the python3 after it, and says why', async () => {
    const root = project();
    const env = shell({});
    const shims = path.join(env.HOME as string, '.pyenv', 'shims');
    mkdirSync(shims, { recursive: true });
    // As pyenv's shim runs the version pyenv picks: here a Python that does not see the system's packages (no Django).
    const shim = path.join(shims, 'python3');
    writeFileSync(shim, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n');
    chmodSync(shim, 0o755);
    env.PATH = `${shims}:/usr/bin:/bin`;

    const chosen = await interpreterOf(root, env);
    assert.ok(chosen);
    assert.equal(chosen.path, '/usr/bin/python3');
    assert.equal(chosen.origin, `PATH (the pyenv shim ${shim} could not import Django)`);
    assert.match(chosen.djangoVersion ?? '', /^\d+\.\d+/);

    const status = await runCli(['status', '--project', root], env, root);
    assert.ok(
      status.stdout.includes(`Python: /usr/bin/python3 (PATH (the pyenv shim ${shim} could not import Django), Django ${chosen.djangoVersion})`),
      status.stdout,
    );
    const doctor = await runCli(['doctor', '--project', root], env, root);
    assert.ok(doctor.stdout.includes(`Python: /usr/bin/python3 (PATH (the pyenv shim ${shim} could not import Django)`), doctor.stdout);
  });

  it("finds Poetry's environment in the cache folder POETRY_CACHE_DIR names, under Poetry's name for the project", async () => {
    const root = project();
    writeFileSync(
      path.join(root, 'pyproject.toml'),
      '[tool.poetry]\nname = "Multisite_Demo"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.9"\ndjango = "*"\n',
    );
    writeFileSync(path.join(root, 'poetry.lock'), '# This file is automatically @generated by Poetry and should not be changed by hand.\n');
    const cache = tempFolder('poetry-cache');
    made.push(cache);
    const version = execFileSync('/usr/bin/python3', ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' }).trim();
    const folder = `${poetryEnvName('Multisite_Demo', root)}-py${version}`;
    const python = makeVenv(path.join(cache, 'virtualenvs', folder));

    const chosen = await interpreterOf(root, shell({ POETRY_CACHE_DIR: cache }));
    assert.deepEqual(chosen && { path: chosen.path, origin: chosen.origin }, { path: python, origin: `Poetry environment (${folder})` });
  });

  it("runs uv's .venv, and the environment UV_PROJECT_ENVIRONMENT names", async () => {
    const inProject = project();
    writeFileSync(path.join(inProject, 'uv.lock'), 'version = 1\nrequires-python = ">=3.9"\n');
    const venv = makeVenv(path.join(inProject, '.venv'));
    const chosen = await interpreterOf(inProject, shell({}));
    assert.deepEqual(chosen && { path: chosen.path, origin: chosen.origin }, { path: venv, origin: '.venv' });

    const elsewhere = project();
    writeFileSync(path.join(elsewhere, 'uv.lock'), 'version = 1\nrequires-python = ">=3.9"\n');
    const envs = tempFolder('uv-envs');
    made.push(envs);
    const named = makeVenv(path.join(envs, 'demo'));
    const found = await interpreterOf(elsewhere, shell({ UV_PROJECT_ENVIRONMENT: path.join(envs, 'demo') }));
    assert.deepEqual(found && { path: found.path, origin: found.origin }, { path: named, origin: 'uv environment (UV_PROJECT_ENVIRONMENT)' });
  });

  it("finds Pipenv's environment under WORKON_HOME and conda's under ~/miniconda3/envs by environment.yml's name", async () => {
    const withPipfile = project();
    writeFileSync(path.join(withPipfile, 'Pipfile'), '[packages]\ndjango = "*"\n\n[requires]\npython_version = "3"\n');
    const workon = tempFolder('workon');
    made.push(workon);
    const name = pipenvEnvName(path.basename(withPipfile), path.join(withPipfile, 'Pipfile'));
    const pipenvPython = makeVenv(path.join(workon, name));
    const chosen = await interpreterOf(withPipfile, shell({ WORKON_HOME: workon }));
    assert.deepEqual(chosen && { path: chosen.path, origin: chosen.origin }, { path: pipenvPython, origin: `Pipenv environment (${name})` });

    const withConda = project();
    writeFileSync(path.join(withConda, 'environment.yml'), 'name: demo-sites\nchannels: [conda-forge]\ndependencies:\n  - python=3.11\n  - django\n');
    const env = shell({});
    // A conda environment's interpreter is where a virtualenv's is (bin/python): one stands in for it.
    const condaPython = makeVenv(path.join(env.HOME as string, 'miniconda3', 'envs', 'demo-sites'));
    const found = await interpreterOf(withConda, env);
    assert.deepEqual(found && { path: found.path, origin: found.origin }, { path: condaPython, origin: 'conda environment demo-sites' });
  });

  it('runs the interpreter a client says was selected for the folder, and passes over one that cannot import Django', async () => {
    const root = project();
    const venv = makeVenv(path.join(root, '.venv'));
    const elsewhere = tempFolder('selected-env');
    made.push(elsewhere);
    const selectedEnv = path.join(realpathSync(elsewhere), 'chosen');
    makeVenv(selectedEnv);
    const link = await sandbox().connect();
    try {
      const open = async (params: Partial<OpenProjectParams>): Promise<ProjectInterpreter | null> => {
        await link.connection.sendRequest(OpenProject.type, { root, trusted: true, refresh: true, ...params });
        return (await link.connection.sendRequest(GetProjectState.type, { root })).interpreter;
      };
      // The Python Environments extension names the environment's folder.
      const byFolder = await open({ selectedInterpreter: { path: selectedEnv, by: 'pythonEnvironments' } });
      assert.equal(byFolder?.path, path.join(selectedEnv, 'bin', 'python'));
      assert.equal(byFolder?.origin, 'selected in the Python Environments extension');

      // A selection whose Python has no Django: the next candidate, saying why the selection was passed over.
      const noDjango = path.join(elsewhere, 'python-without-django');
      writeFileSync(noDjango, '#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n');
      chmodSync(noDjango, 0o755);
      const passedOver = await open({ selectedInterpreter: { path: noDjango, by: 'python' } });
      assert.equal(passedOver?.path, venv);
      assert.equal(passedOver?.origin, `.venv (${noDjango} (selected in the Python extension) could not import Django)`);

      // A selection of the wrong shape is refused in one sentence, and nothing is run.
      const refused = await link.connection.sendRequest(OpenProject.type, { root, selectedInterpreter: { path: '', by: 'python' } }).then(
        () => assert.fail('a selection without a path was taken'),
        (error: unknown) => error,
      );
      assert.ok(refused instanceof ResponseError);
      assert.equal(refused.code, DaemonErrorCode.BadRequest);
      assert.match(refused.message, /^"selectedInterpreter" in the open request must be/);
    } finally {
      link.dispose();
    }
  });
});
