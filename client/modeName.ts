/**
 * One name per mode, the README's, wherever a person reads it (issue 23): the
 * Sites view, the status bar, `status`, the doctor and the commands.
 *   - "every site at once": SITE_ID (env) mode behind the local proxy, each site at its own address;
 *   - "SITE_ID mode": one runserver restarted with the site's SITE_ID per switch (warm sites 0);
 *   - "hosts mode": the hosts file points the real domains here and the request's Host picks the site.
 * The wire keeps `env` and `hosts` (RoutingMode), as `multisite-local mode env|hosts` does.
 */
import type { ProjectState, RoutingMode } from '../protocol/protocol';

export const EVERY_SITE_AT_ONCE = 'every site at once';
export const SITE_ID_MODE = 'SITE_ID mode';
export const HOSTS_MODE = 'hosts mode';

export function modeName(state: Pick<ProjectState, 'mode' | 'strategy'>): string {
  if (state.mode === 'hosts') return HOSTS_MODE;
  return state.strategy === 'restart' ? SITE_ID_MODE : EVERY_SITE_AT_ONCE;
}

/**
 * A mode a person asks for, before it is chosen how it serves: `env` is every site at once unless
 * the project serves one site at a time (`strategy` of its current state, when known).
 */
export function requestedModeName(mode: RoutingMode, current: Pick<ProjectState, 'strategy'> | null): string {
  if (mode === 'hosts') return HOSTS_MODE;
  return current?.strategy === 'restart' ? SITE_ID_MODE : EVERY_SITE_AT_ONCE;
}
