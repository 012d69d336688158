/** The environment sources: dotenv files and docker-compose `environment` / `env_file`, with their lines. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseDotenv, readEnvSources } from '../../../../daemon/sites/envSources';
import type { EnvRead } from '../../../../daemon/sites/envSources';
import { useTempProjects } from '../../../support/tempProject';

describe('environment sources', () => {
  const temp = useTempProjects('domains');

  it('reads compose environment in list form and env_file lists, reporting missing files', async () => {
    const root = temp({
      'docker-compose.yml':
        'services:\n  web:\n    env_file:\n      - .env-docker\n      - path: .env-optional\n        required: false\n      - .env-missing\n    environment:\n      - SITE_ID=3\n      - "EMPTY="\n',
      '.env-docker': 'A=1\n',
    });
    const env = await readEnvSources(root);
    assert.equal(env.vars.get('A')?.value, '1');
    assert.deepEqual(env.vars.get('SITE_ID'), { value: '3', file: path.join(root, 'docker-compose.yml'), line: 9 });
    assert.equal(env.vars.get('EMPTY')?.value, '');
    assert.deepEqual(
      env.problems.map((p) => [p.line, p.message]),
      [[7, 'env_file .env-missing named in docker-compose.yml does not exist']],
    );
  });

  it('parses dotenv lines with export, quotes, escapes and comments', () => {
    const read: EnvRead = { vars: new Map(), files: [], problems: [] };
    parseDotenv('\uFEFF# c\nexport A="x\\ny" \nB=\'lit\\n\'\nC=plain # note\nD=\nnot a line\n', '/p/.env', read);
    assert.deepEqual(Object.fromEntries([...read.vars].map(([k, v]) => [k, v.value])), { A: 'x\ny', B: 'lit\\n', C: 'plain', D: '' });
    assert.deepEqual(
      read.problems.map((p) => p.line),
      [6],
    );
  });
});
