/**
 * Which interpreters may run a project, in which order (interpreterCandidates.ts),
 * and the folder names Poetry and Pipenv give a project's environment
 * (envNames.ts). The layouts are real folders made at test time; the expected
 * names were printed by the tools themselves (Poetry 1.3.2's
 * `EnvManager.generate_env_name(poetry.package.name, str(poetry.file.parent))`
 * and Pipenv 2022.12.19's `Project.virtualenv_name`, Debian's python3-poetry
 * and pipenv, on the same project folder and Pipfile path).
 */
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pipenvEnvName, poetryEnvName } from '../../../../daemon/runners/envNames';
import { interpreterCandidates } from '../../../../daemon/runners/interpreterCandidates';
import type { InterpreterHints } from '../../../../daemon/runners/interpreterCandidates';
import { hasTable, tomlValue } from '../../../../daemon/runners/tomlKeys';
import { useTempProjects } from '../../../support/tempProject';

describe('the environment names Poetry and Pipenv compute', () => {
  it('Poetry: the PEP 503 name, lowered, and 8 characters of the folder hash', () => {
    assert.equal(poetryEnvName('My_Shop.Site', '/tmp/h23ref/My Shop (v2)', false), 'my-shop-site-vA5AxTXG');
    assert.equal(poetryEnvName('django-demo', '/tmp/ünï code', false), 'django-demo-TEXEnAXe');
  });

  it("Pipenv: the folder's name with shell characters replaced, and 6 bytes of the Pipfile path's hash", () => {
    assert.equal(pipenvEnvName('My Shop (v2)', '/tmp/h23ref/My Shop (v2)/Pipfile'), 'My_Shop__v2_-4O0clB-T');
  });

  it('cuts the name at 42 characters as Python counts them', () => {
    const name = poetryEnvName('é'.repeat(50), '/p', false);
    assert.equal(name.split('-')[0], 'é'.repeat(42));
  });
});

describe('plain TOML values', () => {
  const toml = '[tool.poetry]\nname = "shop" # the package\n\n[virtualenvs]\nin-project = true\ncache-dir = \'/c\'\n';
  it('reads strings and booleans under a table, and tells a table is there', () => {
    assert.equal(tomlValue(toml, 'tool.poetry', 'name'), 'shop');
    assert.equal(tomlValue(toml, 'virtualenvs', 'in-project'), true);
    assert.equal(tomlValue(toml, 'virtualenvs', 'cache-dir'), '/c');
    assert.equal(tomlValue('virtualenvs.path = "/v"\n', 'virtualenvs', 'path'), '/v');
    assert.equal(tomlValue('cache-dir = "/top"\n[x]\ncache-dir = "/no"\n', '', 'cache-dir'), '/top');
    assert.equal(tomlValue(toml, 'project', 'name'), undefined);
    assert.ok(hasTable('[tool.poetry.dependencies]\n', 'tool.poetry'));
    assert.ok(!hasTable('[tool.poetryx]\n', 'tool.poetry'));
  });
});

describe('interpreterCandidates', () => {
  const project = useTempProjects('candidates', 'each');

  /** An executable script at `file` (what PATH walking looks for). */
  function executable(file: string): string {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '#!/bin/sh\nexit 1\n');
    chmodSync(file, 0o755);
    return file;
  }

  async function order(root: string, hints: InterpreterHints): Promise<[string, string][]> {
    return (await interpreterCandidates(root, hints)).map((c) => [c.command, c.origin]);
  }

  it('tries the selection, the setting, .venv, venv, VIRTUAL_ENV, the tools, then every python3 and python on PATH', async () => {
    const root = realpathSync(
      project({
        'manage.py': '',
        'pyproject.toml': '[tool.poetry]\nname = "Shop_Site"\nversion = "1.0"\n',
        'poetry.lock': '',
        Pipfile: '[packages]\n',
        'uv.lock': '',
        'environment.yml': 'name: shop\ndependencies: [django]\n',
      }),
    );
    const cache = path.join(root, 'cache');
    const poetryName = poetryEnvName('Shop_Site', root);
    // Two Python versions of the Poetry environment: the newest first.
    for (const version of ['3.9', '3.11']) mkdirSync(path.join(cache, 'virtualenvs', `${poetryName}-py${version}`), { recursive: true });
    const shims = path.join(root, 'home', '.pyenv', 'shims');
    const shim = executable(path.join(shims, 'python3'));
    const usrBin = path.join(root, 'usr', 'bin');
    const system3 = executable(path.join(usrBin, 'python3'));
    const system = executable(path.join(usrBin, 'python'));
    mkdirSync(path.join(root, 'not-executable'));
    writeFileSync(path.join(root, 'not-executable', 'python3'), '');
    const home = path.join(root, 'home');
    const hints: InterpreterHints = {
      selected: { path: '/envs/chosen/bin/python', by: 'python' },
      pythonPath: 'tools/python',
      virtualEnv: '/venvs/x',
      environment: {
        HOME: home,
        POETRY_CACHE_DIR: cache,
        WORKON_HOME: path.join(root, 'workon'),
        UV_PROJECT_ENVIRONMENT: 'uv-env',
        CONDA_PREFIX: '/opt/conda/envs/other',
        // The shim first, a folder without an executable python3, and the same folder twice.
        PATH: [shims, path.join(root, 'not-executable'), usrBin, usrBin].join(path.delimiter),
      },
    };
    assert.deepEqual(await order(root, hints), [
      ['/envs/chosen/bin/python', 'selected in the Python extension'],
      [path.join(root, 'tools/python'), 'the Python interpreter setting'],
      [path.join(root, '.venv/bin/python'), '.venv'],
      [path.join(root, 'venv/bin/python'), 'venv'],
      ['/venvs/x/bin/python', '$VIRTUAL_ENV'],
      [path.join(cache, 'virtualenvs', `${poetryName}-py3.11`, 'bin/python'), `Poetry environment (${poetryName}-py3.11)`],
      [path.join(cache, 'virtualenvs', `${poetryName}-py3.9`, 'bin/python'), `Poetry environment (${poetryName}-py3.9)`],
      [
        path.join(root, 'workon', pipenvEnvName(path.basename(root), path.join(root, 'Pipfile')), 'bin/python'),
        `Pipenv environment (${pipenvEnvName(path.basename(root), path.join(root, 'Pipfile'))})`,
      ],
      [path.join(root, 'uv-env/bin/python'), 'uv environment (UV_PROJECT_ENVIRONMENT)'],
      ['/opt/conda/envs/shop/bin/python', 'conda environment shop'],
      ...['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge', '.conda'].map((base): [string, string] => [
        path.join(home, base, 'envs/shop/bin/python'),
        'conda environment shop',
      ]),
      ['/opt/conda/envs/other/bin/python', 'CONDA_PREFIX'],
      [shim, 'PATH'],
      [system3, 'PATH'],
      [system, 'PATH'],
    ]);
    const candidates = await interpreterCandidates(root, hints);
    assert.deepEqual(
      candidates.filter((c) => c.pyenvShim).map((c) => c.command),
      [shim],
    );
  });

  it("uses an environment's folder named by the selection, and Poetry's in-project .venv once", async () => {
    const root = realpathSync(project({ 'pyproject.toml': '[project]\nname = "shop"\n[tool.poetry]\n', 'poetry.toml': '[virtualenvs]\nin-project = true\n' }));
    mkdirSync(path.join(root, 'envs', 'picked'), { recursive: true });
    const list = await order(root, { selected: { path: 'envs/picked', by: 'pythonEnvironments' }, environment: { HOME: root, PATH: '' } });
    assert.deepEqual(list, [
      [path.join(root, 'envs/picked/bin/python'), 'selected in the Python Environments extension'],
      [path.join(root, '.venv/bin/python'), '.venv'],
      [path.join(root, 'venv/bin/python'), 'venv'],
    ]);
  });

  it('finds a bare interpreter setting on the PATH it was given, and keeps it bare when not there', async () => {
    const root = realpathSync(project({ 'manage.py': '' }));
    const bin = path.join(root, 'bin');
    const python312 = executable(path.join(bin, 'python3.12'));
    assert.equal((await interpreterCandidates(root, { pythonPath: 'python3.12', environment: { PATH: bin } }))[0].command, python312);
    assert.equal((await interpreterCandidates(root, { pythonPath: 'python3.13', environment: { PATH: bin } }))[0].command, 'python3.13');
  });
});
