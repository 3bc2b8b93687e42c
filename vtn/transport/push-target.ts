import { isIP } from 'node:net';
import { SIMPLE_HTTP_PATH } from '../../schemas/index.js';
import { PushTargetError } from '../errors.js';

/** Where the VTN's own listeners are: a push must never be turned against them. */
export interface LocalEndpoint {
  readonly host: string;
  readonly port: number;
}

export interface PushTargetPolicy {
  /** Plain http: pushes (only when the VTN itself serves OpenADR without TLS: development). */
  readonly allowPlainHttp: boolean;
  /** The VTN's own listeners (operator API, OpenADR endpoint), read at each push: ports are known after listen. */
  readonly localEndpoints: () => readonly LocalEndpoint[];
}


const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', '0.0.0.0', '::', '::1', '[::1]', '[::]']);
const isLocalHost = (host: string): boolean => {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_NAMES.has(bare) || bare.startsWith('127.') || bare.startsWith('::ffff:127.') || bare.endsWith('.localhost');
};
const isLinkLocal = (host: string): boolean => {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare.startsWith('169.254.') || (isIP(bare) === 6 && bare.startsWith('fe80:'));
};

/**
 * The URL a push for `service` goes to, built from the VEN's oadrTransportAddress structurally:
 * the service path is appended to the URL's path, never to its text, so a `?` or `#` in the
 * address cannot redirect it. Refused: credentials, query or fragment, non-http(s) schemes,
 * plain http unless allowed, link-local hosts (cloud metadata) and the VTN's own listeners.
 */
export function pushUrl(transportAddress: string, service: string, policy: PushTargetPolicy): URL {
  let base: URL;
  try {
    base = new URL(transportAddress);
  } catch {
    throw new PushTargetError(`oadrTransportAddress '${transportAddress}' is not a URL`);
  }
  if (base.protocol !== 'https:' && !(base.protocol === 'http:' && policy.allowPlainHttp)) throw new PushTargetError(`push over ${base.protocol} is not allowed (https with mutual TLS only)`);
  if (base.username || base.password) throw new PushTargetError('oadrTransportAddress must not carry credentials');
  if (base.search || base.hash || transportAddress.includes('#') || transportAddress.includes('?')) throw new PushTargetError('oadrTransportAddress must not carry a query or a fragment');
  if (isLinkLocal(base.hostname)) throw new PushTargetError(`push target ${base.hostname} is link-local`);
  const port = Number(base.port || (base.protocol === 'https:' ? 443 : 80));
  for (const local of policy.localEndpoints()) {
    const sameHost = isLocalHost(base.hostname) ? isLocalHost(local.host) || local.host === '0.0.0.0' : base.hostname === local.host;
    if (sameHost && port === local.port) throw new PushTargetError(`push target ${base.host} is one of the VTN's own listeners`);
  }
  const url = new URL(base.href);
  url.pathname = `${base.pathname.replace(/\/+$/, '')}${SIMPLE_HTTP_PATH}/${service}`;
  return url;
}
