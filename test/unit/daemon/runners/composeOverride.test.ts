/** The compose override file: SITE_ID, the chosen settings module and debugpy reach the web service, nothing else. */
import * as assert from 'node:assert/strict';
import { serviceOverride } from '../../../../daemon/runners/composeRunner';

describe('the compose override file', () => {
  it('sets SITE_ID and the chosen settings module in the web service’s environment', () => {
    assert.deepEqual(JSON.parse(serviceOverride('web', { siteId: 2, settingsModule: 'mysite.settings.local' }) ?? 'null'), {
      services: { web: { environment: { SITE_ID: '2', DJANGO_SETTINGS_MODULE: 'mysite.settings.local' } } },
    });
  });

  it('sets only the settings module in hosts mode (no SITE_ID), and nothing when neither is given', () => {
    assert.deepEqual(JSON.parse(serviceOverride('app', { siteId: null, settingsModule: 'mysite.settings' }) ?? 'null'), {
      services: { app: { environment: { DJANGO_SETTINGS_MODULE: 'mysite.settings' } } },
    });
    assert.equal(serviceOverride('web', { siteId: null, settingsModule: null }), null);
  });

  it("runs the service's command under debugpy with its port published on loopback only", () => {
    const command = ['python', '-m', 'debugpy', '--listen', '0.0.0.0:5678', 'manage.py', 'runserver', '0.0.0.0:80'];
    assert.deepEqual(JSON.parse(serviceOverride('web', { siteId: null, settingsModule: null, debug: { command, port: 41234 } }) ?? 'null'), {
      services: { web: { command, ports: ['127.0.0.1:41234:5678'] } },
    });
  });
});
