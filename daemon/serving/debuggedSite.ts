/**
 * The site the proxy serves under debugpy, and how backends start because of it: the backend that
 * serves the site is started again under debugpy (under Host routing, the one for every site);
 * under one server for every SITE_ID the site gets a server of its own (debugRouting), so a
 * breakpoint pauses that site only and the others keep answering. A backend no longer debugged
 * serves as before: started again without debugpy or, when it was the site's own, stopped (the
 * server for every site serves it again).
 */
import type { ProxyRouting, Site } from '../../protocol/protocol';
import type { DebugOptions } from '../runners/debugpy';
import type { BackendSpec } from '../proxy/backend';
import type { BackendPool } from '../proxy/backendPool';
import { backendKey, backendSpec, debugRouting } from '../proxy/backendSpecs';

export class DebuggedSite {
  private debugged: { site: Site; key: string; options: DebugOptions } | null = null;

  constructor(
    private readonly routing: ProxyRouting,
    private readonly pool: BackendPool,
  ) {}

  /** How the backend serving `site` starts (`current`: the site the bare address serves). */
  spec(site: Site, current: Site | null): BackendSpec {
    const routing = debugRouting(this.routing);
    if (this.debugged?.key === backendKey(routing, site)) return { ...backendSpec(routing, site, current), debug: this.debugged.options };
    return backendSpec(this.routing, site, current);
  }

  /** Debugs `site` from now on; a backend debugged before for another site serves as before. */
  start(site: Site, options: DebugOptions): void {
    const before = this.debugged;
    this.debugged = { site, key: backendKey(debugRouting(this.routing), site), options };
    if (before && before.key !== this.debugged.key) void this.release(before.key).catch(() => undefined);
  }

  /** Debugs nothing any more; resolves once the backend that was debugged serves as before. */
  async stop(): Promise<void> {
    const before = this.debugged;
    this.debugged = null;
    if (before) await this.release(before.key);
  }

  /** The debugged site, its backend's debugpy port and process, while one is debugged. */
  state(): { site: Site; port: number; pid: number | null } | null {
    if (!this.debugged) return null;
    const backend = this.pool.get(this.debugged.key);
    return { site: this.debugged.site, port: this.debugged.options.port, pid: backend?.spec.debug ? backend.pid : null };
  }

  private async release(key: string): Promise<void> {
    const backend = this.pool.get(key);
    if (!backend) return;
    if (debugRouting(this.routing) !== this.routing) await this.pool.retire(key, 'no longer debugged');
    else await this.pool.ensure({ ...backend.spec, debug: undefined });
  }
}
