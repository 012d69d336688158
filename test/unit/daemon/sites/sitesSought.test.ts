/** Where sites were looked for names the sources of the project's own frameworks (issue 22). */
import * as assert from 'node:assert/strict';
import { sitesSought } from '../../../../daemon/sites/sitesSought';
import { djangoAnswer } from '../../../support/djangoAnswer';

describe('where sites were looked for', () => {
  const files = ['DJANGO_MULTISITE_PLUS_SITES in the settings and env files', 'multisite.json'];

  it('names the tables of the frameworks Django says are installed', () => {
    const answer = djangoAnswer([]);
    assert.ok(answer.ok);
    answer.facts.frameworks = [
      { name: 'wagtail', version: '5.2.8' },
      { name: 'django-tenants', version: '3.5.0' },
    ];
    assert.deepEqual(sitesSought(answer), [...files, 'Wagtail’s Sites', 'the tenants’ domains (django-tenants)']);
    assert.deepEqual(sitesSought(djangoAnswer([])), [...files, 'the Sites table (django.contrib.sites)']);
  });

  it('says why Django’s tables were not read', () => {
    assert.deepEqual(sitesSought(null), [...files, 'Django’s tables (not read: the workspace is not trusted)']);
    assert.deepEqual(sitesSought({ ok: false, reason: "KeyError: 'DATABASE_URL'", file: null, line: null }), [
      ...files,
      "Django’s tables (not read: KeyError: 'DATABASE_URL')",
    ]);
  });
});
