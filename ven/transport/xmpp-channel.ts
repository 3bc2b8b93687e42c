import { xml, type XmppClient } from '@xmpp/client';
import { OadrError, parsePayload, serializePayload, type OadrMessage, type ServiceName } from '../../schemas/index.js';
import type { Logger } from '../../src/logger.js';
import { OADR_NS, openXmpp, payloadElement, type XmppAccount } from '../../src/xmpp.js';
import { VtnUnavailableError } from '../../src/errors.js';
import type { VtnChannel } from './vtn-channel.js';

export interface XmppChannelOptions {
  readonly account: XmppAccount;
  /** The VTN's full JID (e.g. vtn@example.org/vtn). */
  readonly vtnJid: string;
  readonly timeoutMs?: number;
  readonly validate?: boolean;
}

/**
 * The VEN's side of the OpenADR 2.0b XMPP binding: requests go to the VTN as IQ sets carrying the
 * payload and come back in the IQ result; the VTN's pushes arrive as IQ sets and are answered in
 * the result. xmpp.js reconnects by itself; `onOnline` runs after every (re)connection so the VEN
 * can catch up on what it missed.
 */
export class XmppVtnChannel implements VtnChannel {
  readonly transportName = 'xmpp';
  private readonly xmpp: XmppClient;
  private address: string | undefined;
  private connecting: Promise<string> | undefined;
  private readonly onlineListeners: (() => void)[] = [];

  constructor(private readonly options: XmppChannelOptions, onPush: (message: OadrMessage) => Promise<OadrMessage>, private readonly logger: Logger) {
    this.xmpp = openXmpp(options.account);
    this.xmpp.on('error', (error) => this.logger.warn('XMPP connection error', { reason: error.message }));
    this.xmpp.on('online', (jid) => {
      const first = this.address === undefined;
      this.address = jid.toString();
      if (!first) for (const listener of this.onlineListeners) listener();
    });
    this.xmpp.iqCallee.set(OADR_NS, 'oadrPayload', async (ctx) => {
      let message: OadrMessage;
      try {
        ({ message } = parsePayload(ctx.element.toString(), { validate: options.validate ?? true }));
      } catch (error) {
        if (!(error instanceof OadrError)) throw error;
        return payloadElement(serializePayload({ type: 'oadrResponse', response: { responseCode: error.responseCode, responseDescription: error.message, requestId: '' } }));
      }
      return payloadElement(serializePayload(await onPush(message)));
    });
  }

  /** Connects (once) and returns the VEN's full JID, its oadrTransportAddress. */
  connect(): Promise<string> {
    // A failed first connection is not remembered: the next request tries again.
    this.connecting ??= this.xmpp.start().then((jid) => { this.address = jid.toString(); return this.address; }, (error: unknown) => { this.connecting = undefined; throw error; });
    return this.connecting;
  }

  /** Runs after each reconnection (not the first connection). */
  onOnline(listener: () => void): void {
    this.onlineListeners.push(listener);
  }

  async send(_service: ServiceName, message: OadrMessage): Promise<OadrMessage> {
    await this.connect();
    let reply;
    try {
      reply = await this.xmpp.iqCaller.request(xml('iq', { type: 'set', to: this.options.vtnJid }, payloadElement(serializePayload(message))), this.options.timeoutMs ?? 30_000);
    } catch (error) {
      throw new VtnUnavailableError(`VTN unreachable over XMPP (${this.options.vtnJid}): ${error instanceof Error ? error.message : String(error)}`);
    }
    const child = reply.getChild('oadrPayload', OADR_NS);
    if (!child) return { type: 'oadrResponse', response: { responseCode: 200, requestId: '' } };
    return parsePayload(child.toString(), { validate: this.options.validate ?? true }).message;
  }

  async close(): Promise<void> {
    if (!this.connecting) return;
    this.xmpp.reconnect.stop();
    await this.xmpp.stop().catch(() => undefined);
  }
}
