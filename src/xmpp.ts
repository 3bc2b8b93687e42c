import { client, type XmppClient } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import parse from '@xmpp/xml/lib/parse.js';
import ConnectionTLS from '@xmpp/tls/lib/Connection.js';

/** The OpenADR 2.0b payload namespace: the child of every OpenADR IQ (2.0b XMPP binding). */
export const OADR_NS = 'http://openadr.org/oadr-2.0b/2012/07';

/** One XMPP account on a server reached over direct TLS (xmpps://). */
export interface XmppAccount {
  /** `xmpps://host:port` (direct TLS, XEP-0368 style; the server's certificate must chain to `ca`). */
  readonly service: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly resource: string;
  readonly ca: string | Buffer;
}

/**
 * An xmpp.js client that trusts our CA for the server's certificate (xmpp.js takes no TLS
 * options, so its TLS transport is extended) and reconnects by itself after a loss.
 */
export function openXmpp(account: XmppAccount): XmppClient {
  class TrustedTls extends ConnectionTLS {
    override socketParameters(service: string): { port: number; host: string } | undefined {
      const parameters = super.socketParameters(service);
      return parameters && { ...parameters, ca: account.ca, minVersion: 'TLSv1.2' } as { port: number; host: string };
    }
  }
  const xmpp = client({ service: account.service, domain: account.domain, username: account.username, password: account.password, resource: account.resource });
  xmpp.transports.unshift(TrustedTls);
  xmpp.reconnect.delay = 500;
  return xmpp;
}

/** An OpenADR payload (serialized XML) as the element an IQ carries. */
export function payloadElement(xmlText: string): Element {
  return parse(xmlText.replace(/^\s*<\?xml[^>]*\?>\s*/, ''));
}
