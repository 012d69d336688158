/**
 * A SiteProxy in process for two Host-routed sites of a project `demo`, shop
 * (`shop.example`, the current one) and blog (`blog.example`), both served by
 * one backend of the test's own on `backendPort`, as one runserver serves
 * every site under Host routing.
 */
import { AddressMap } from '../../daemon/proxy/addressMap';
import { SiteProxy } from '../../daemon/proxy/siteProxy';
import type { ProxyRoutes } from '../../daemon/proxy/siteProxy';

export function twoSiteProxy(backendPort: number, previewBlocked: ProxyRoutes['previewBlocked'] = (slug) => ({ label: slug, url: '' })): SiteProxy {
  const addresses = new AddressMap('demo.localhost', [
    { slug: 'shop', localhostHost: 'shop.demo.localhost', domains: ['shop.example'] },
    { slug: 'blog', localhostHost: 'blog.demo.localhost', domains: ['blog.example'] },
  ]);
  return new SiteProxy(
    {
      addresses: () => addresses,
      target: (route) => {
        const slug = route.kind === 'site' ? route.slug : 'shop';
        return Promise.resolve({ slug, label: slug, port: backendPort, host: `${slug}.example` });
      },
      listing: () => ({ project: 'demo', sites: [] }),
      previewBlocked,
    },
    () => undefined,
  );
}
