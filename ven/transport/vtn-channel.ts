import type { OadrMessage, ServiceName } from '../../schemas/index.js';

/**
 * How a VEN reaches its VTN, whatever the binding: the VEN's services see only this. The simple
 * HTTP client and the XMPP channel implement it; a VEN can be given any other (a test double in a
 * unit test, a relay) through `VenOptions.channel`.
 */
export interface VtnChannel {
  /** The 2.0b oadrTransportName this channel registers with. */
  readonly transportName: 'simpleHttp' | 'xmpp';
  /**
   * Opens the channel if it needs opening and returns the address the VTN pushes to over it
   * (the VEN's full JID over XMPP); undefined for a channel the VTN does not push over.
   */
  connect(): Promise<string | undefined>;
  /** Sends one payload on a service and returns the VTN's answer (an empty body is a 200 oadrResponse). */
  send(service: ServiceName, message: OadrMessage): Promise<OadrMessage>;
  close(): void | Promise<void>;
}
