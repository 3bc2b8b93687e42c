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
export function openXmpp(account: XmppAccount, stallMs = 10_000): XmppClient {
  class TrustedTls extends ConnectionTLS {
    override socketParameters(service: string): { port: number; host: string } | undefined {
      const parameters = super.socketParameters(service);
      return parameters && { ...parameters, ca: account.ca, minVersion: 'TLSv1.2' } as { port: number; host: string };
    }
  }
  const xmpp = client({ service: account.service, domain: account.domain, username: account.username, password: account.password, resource: account.resource });
  xmpp.transports.unshift(TrustedTls);
  xmpp.reconnect.delay = 500;
  watchReconnection(xmpp, stallMs);
  return xmpp;
}

/**
 * xmpp.js reconnects only from the `disconnect` state: a reconnection whose stream opening times
 * out (a server still starting, or overloaded) leaves the socket up, no `disconnect` comes, and the
 * client waits forever. After the first time online, anything but online for `stallMs` is treated
 * as a loss: disconnect, so that the reconnect loop runs again.
 */
function watchReconnection(xmpp: XmppClient, stallMs: number): void {
  let watchdog: NodeJS.Timeout | undefined;
  let since = Date.now();
  xmpp.on('online', () => {
    since = Date.now();
    watchdog ??= setInterval(() => {
      if (xmpp.status === 'online') { since = Date.now(); return; }
      if (Date.now() - since < stallMs) return;
      since = Date.now();
      if (xmpp.status === 'disconnect') xmpp.reconnect.scheduleReconnect();
      else void xmpp.disconnect().catch(() => undefined);
    }, 1_000);
    watchdog.unref();
  });
  const stop = xmpp.stop.bind(xmpp);
  xmpp.stop = async () => {
    clearInterval(watchdog);
    watchdog = undefined;
    await stop();
  };
}

/** An OpenADR payload (serialized XML) as the element an IQ carries. */
export function payloadElement(xmlText: string): Element {
  return parse(xmlText.replace(/^\s*<\?xml[^>]*\?>\s*/, ''));
}
