/** The warnings hosts mode gives about a project that would defeat it. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { hostsModeWarnings } from '../../../../daemon/hosts/hostsModeWarnings';
import { readSiteConfig } from '../../../../daemon/sites/siteConfig';

describe('hosts mode warnings', () => {
  it('names the file and line where the project forces SITE_ID', async () => {
    const root = path.resolve(__dirname, '../../../fixtures/divio-env');
    assert.deepEqual(hostsModeWarnings(await readSiteConfig(root), root), [
      'docker-compose.yml:11 forces SITE_ID=2, which breaks hosts mode (every request is served as that site whatever its domain): remove it there to let the Host header choose.',
    ]);
  });
});
