/** How a project is served, in the words the view title, the project row and the status bar share. */
import type { ProjectState } from '../protocol/protocol';
import { urlPort } from '../protocol/domainUrl';
import { modeName } from '../client/modeName';
import { proxyRoutingPhrase } from '../client/proxyRoutingText';

/** "every site at once", "SITE_ID mode" or "hosts mode" (client/modeName.ts), or "not started". */
export function modeLabel(state: ProjectState | null): string {
  return state ? modeName(state) : 'not started';
}

/** How a request finds its site in that mode, as a phrase for tooltips. */
export function routingPhrase(state: ProjectState): string {
  if (state.mode === 'hosts') return `the request's domain picks the site (entries in ${state.hostsFile ?? 'the hosts file'})`;
  if (state.strategy !== 'restart') return proxyRoutingPhrase(state.strategy, state.routingReason);
  return `SITE_ID=${state.currentSite?.id ?? '?'}, one server restarted per switch`;
}

/** The port the project answers on, from its server's address. */
export function portOf(state: ProjectState | null): string | null {
  const url = state?.server.url;
  return url ? String(urlPort(url)) : null;
}
