import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { interpreterCandidates } from '../../daemon/runners/interpreter';

describe('interpreterCandidates', () => {
  it('tries the project venvs, VIRTUAL_ENV, the setting, then PATH, in that order', () => {
    const root = '/p';
    const list = interpreterCandidates(root, { virtualEnv: '/venvs/x', pythonPath: 'tools/python' }).map((c) => c.command);
    assert.deepEqual(list, [
      path.join('/p/.venv/bin/python'),
      path.join('/p/venv/bin/python'),
      path.join('/venvs/x/bin/python'),
      path.resolve('/p', 'tools/python'),
      'python3',
      'python',
    ]);
  });

  it('keeps a bare interpreter name for PATH lookup', () => {
    const list = interpreterCandidates('/p', { pythonPath: 'python3.12' }).map((c) => c.command);
    assert.ok(list.includes('python3.12'));
  });
});
