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
export function openXmpp(account: XmppAccount, stallMs = 30_000): XmppClient {
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
 * xmpp.js reconnects only from the `disconnect` state: a reconnection whose stream opening or
 * authentication stalls (a server still starting, or a machine so loaded that SCRAM takes
 * seconds) leaves the client waiting forever, and interrupting it half-way can leave it failing
 * authentication on every later attempt. After the first time online, anything but online for
 * `stallMs` is treated as a loss and the client is restarted from scratch: stream and socket
 * closed, status offline, then started again (and again after another `stallMs` if that fails).
 * The budget is generous so that a slow but progressing login is never cut short.
 */
function watchReconnection(xmpp: XmppClient, stallMs: number): void {
  let watchdog: NodeJS.Timeout | undefined;
  let since = Date.now();
  let restarting = false;
  const stop = xmpp.stop.bind(xmpp);
  const start = xmpp.start.bind(xmpp);
  const restart = async (): Promise<void> => {
    restarting = true;
    try {
      await stop().catch(() => undefined);
      // A socket that never closed leaves a status other than offline: start() insists on offline.
      if (xmpp.status !== 'offline') (xmpp as unknown as { status: string }).status = 'offline';
      await start();
    } catch {
      // Still down: the next watchdog round tries again; errors reach the client's 'error' listeners.
    } finally {
      restarting = false;
      since = Date.now();
    }
  };
  xmpp.on('online', () => {
    since = Date.now();
    watchdog ??= setInterval(() => {
      if (xmpp.status === 'online' || restarting) { since = Date.now(); return; }
      if (Date.now() - since < stallMs) return;
      since = Date.now();
      void restart();
    }, 1_000);
    watchdog.unref();
  });
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
