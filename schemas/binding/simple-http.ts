import type { ServiceName } from '../model/enums.js';

// The 2.0b simple HTTP binding's addresses: every service is POSTed to <base>/<service>, where the
// base ends in the profile's path.

/** The path every 2.0b simple HTTP base URL ends in. */
export const SIMPLE_HTTP_PATH = '/OpenADR2/Simple/2.0b';

/** The URL of a service under a base URL (with or without the profile path already on it). */
export function serviceUrl(base: string, service: ServiceName): string {
  const trimmed = base.replace(/\/+$/, '');
  return `${trimmed.endsWith(SIMPLE_HTTP_PATH) ? trimmed : `${trimmed}${SIMPLE_HTTP_PATH}`}/${service}`;
}

/** The service a request path names (/OpenADR2/Simple/2.0b/EiEvent → EiEvent); '' when the path is outside the profile. */
export function serviceOfPath(pathname: string): string {
  const prefix = `${SIMPLE_HTTP_PATH}/`;
  return pathname.startsWith(prefix) ? pathname.slice(prefix.length).replace(/\/$/, '') : '';
}
