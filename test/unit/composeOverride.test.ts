/** The compose override file: SITE_ID and the chosen settings module reach the web service's environment, nothing else. */
import * as assert from 'node:assert/strict';
import { serviceOverride } from '../../daemon/compose/composeRunner';

describe('the compose override file', () => {
  it('sets SITE_ID and the chosen settings module in the web service’s environment', () => {
    assert.deepEqual(JSON.parse(serviceOverride('web', 2, 'mysite.settings.local') ?? 'null'), {
      services: { web: { environment: { SITE_ID: '2', DJANGO_SETTINGS_MODULE: 'mysite.settings.local' } } },
    });
  });

  it('sets only the settings module in hosts mode (no SITE_ID), and nothing when neither is given', () => {
    assert.deepEqual(JSON.parse(serviceOverride('app', null, 'mysite.settings') ?? 'null'), {
      services: { app: { environment: { DJANGO_SETTINGS_MODULE: 'mysite.settings' } } },
    });
    assert.equal(serviceOverride('web', null, null), null);
  });
});
