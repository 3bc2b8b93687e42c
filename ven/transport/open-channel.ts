import type { OadrMessage, SigningIdentity } from '../../schemas/index.js';
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import { VtnClient } from './vtn-client.js';
import type { VtnChannel } from './vtn-channel.js';
import { XmppVtnChannel, type XmppChannelOptions } from './xmpp-channel.js';

/** What a channel hands back to the VEN: the VTN's pushes, and that it is back after a loss. */
export interface ChannelHooks {
  onPush(message: OadrMessage): Promise<OadrMessage>;
  onReconnected(): void;
}

/** Builds the VEN's channel once the VEN can receive its hooks. */
export type ChannelFactory = (hooks: ChannelHooks) => VtnChannel;

export interface ChannelOptions {
  readonly vtnUrl: string;
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
  readonly signing?: SigningIdentity;
  readonly validate?: boolean;
  readonly xmpp?: Omit<XmppChannelOptions, 'validate'>;
}

/** The binding the options name: XMPP when an account is given, simple HTTP otherwise. */
export function channelFor(options: ChannelOptions, clock: Clock, logger: Logger): ChannelFactory {
  const validate = options.validate !== undefined ? { validate: options.validate } : {};
  if (options.xmpp) {
    const xmpp = options.xmpp;
    return (hooks) => {
      const channel = new XmppVtnChannel({ ...xmpp, ...validate }, (m) => hooks.onPush(m), logger);
      channel.onOnline(() => hooks.onReconnected());
      return channel;
    };
  }
  return () => new VtnClient({ vtnUrl: options.vtnUrl, clock, ...(options.tls ? { tls: options.tls } : {}), ...(options.signing ? { signing: options.signing } : {}), ...validate });
}
