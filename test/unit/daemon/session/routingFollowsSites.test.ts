/**
 * A re-read of a project's sites can change how it routes and why (Django's
 * answer landing after the tree showed the files' sites, an edited
 * multisite.json): clients hold the state they were told, with its routing
 * reason, so the session tells them the new state too, even with nothing
 * served. In process, with a real file watcher; no Python.
 */
import { SitePortBook } from '../../../../daemon/proxy/sitePortBook';
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ComposePortEdits } from '../../../../daemon/compose/composePortEdits';
import { HostsEntries } from '../../../../daemon/hosts/hostsEntries';
import { ProjectSession } from '../../../../daemon/session/projectSession';
import type { ProjectState } from '../../../../protocol/protocol';
import { FakeRunners } from '../../../support/fakeRunner';
import { projectCodeIn } from '../../../support/projectCode';

const SETTINGS = `DJANGO_MULTISITE_PLUS_SITES = {
    "shop": {"id": 2, "real_domain": "shop.test", "name": "Shop"},
    "blog": {"id": 1, "real_domain": "blog.test", "name": "Blog"},
}
`;

describe('the routing clients are told follows a re-read of the sites', () => {
  let dir: string;
  let session: ProjectSession;

  afterEach(async () => {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an edited multisite.json "routing" reaches clients as a new state with its reason, while nothing is served', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'msl-routing-'));
    const root = path.join(dir, 'project');
    mkdirSync(path.join(root, 'proj'), { recursive: true });
    writeFileSync(path.join(root, 'manage.py'), 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n');
    writeFileSync(path.join(root, 'proj', 'settings.py'), SETTINGS);
    writeFileSync(path.join(root, 'multisite.json'), '{}\n');
    const home = path.join(dir, 'home');
    mkdirSync(home);
    const told: ProjectState[] = [];
    session = new ProjectSession(
      root,
      new FakeRunners().factory,
      { hosts: new HostsEntries(home), composePorts: new ComposePortEdits(home), projectCode: projectCodeIn(home), portBook: new SitePortBook(home) },
      { stateChanged: (state) => told.push(state), sitesChanged: () => undefined, log: () => undefined, previewBlocked: () => undefined },
    );
    await session.open({ root, trusted: false, port: 8123, warmSites: 3 });
    const before = session.state();
    assert.equal(before.strategy, 'host');
    assert.match(before.routingReason, /do not read SITE_ID from the environment/);

    writeFileSync(path.join(root, 'multisite.json'), '{"routing": "siteId"}\n');
    const deadline = Date.now() + 10_000;
    while (!told.some((s) => s.strategy === 'siteId') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const after = told.find((s) => s.strategy === 'siteId');
    assert.ok(after, `a state with the new routing was sent: ${JSON.stringify(told.map((s) => s.routingReason))}`);
    assert.equal(after.routingReason, 'multisite.json says "routing": "siteId"');
    assert.equal(after.server.phase, 'stopped', 'nothing was started for it');
  });
});
