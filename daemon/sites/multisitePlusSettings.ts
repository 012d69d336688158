/** The settings django-multisite-plus reads (and SITE_ID), by what they are for. */
export const SETTING = {
  sites: 'DJANGO_MULTISITE_PLUS_SITES',
  format: 'DJANGO_MULTISITE_PLUS_REWRITE_DOMAIN_FORMAT',
  rewrite: 'DJANGO_MULTISITE_PLUS_REWRITE_DOMAINS',
  useReal: 'DJANGO_MULTISITE_PLUS_USE_REAL_DOMAIN',
  autoPopulate: 'DJANGO_MULTISITE_PLUS_AUTO_POPULATE_SITES',
  siteId: 'SITE_ID',
} as const;
