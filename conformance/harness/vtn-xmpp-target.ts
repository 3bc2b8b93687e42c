import { xml, type XmppClient } from '@xmpp/client';
import { OadrError, parsePayload, ResponseCode, serializePayload, SERVICE_OF_VTN_PAYLOAD, signPayload, type OadrMessage, type ServiceName } from '../../schemas/index.js';
import { OADR_NS, openXmpp, payloadElement } from '../../src/xmpp.js';
import { CaseFailure, type Exchange, type VenIdentity } from './case.js';
import type { PushEndpoint, VtnCaseContext, VtnTarget } from './vtn-target.js';

/** A VTN under test over the XMPP binding: the harness logs in as its VENs' accounts. */
export interface XmppVtnAccess {
  readonly service: string;
  readonly domain: string;
  readonly ca: string;
  readonly vtnJid: string;
  /** An account for a fresh VEN (made on the spot); its local part is the venID the VTN will see. */
  account(label: string): { username: string; password: string };
}

/** A case context whose payloads travel as IQs to the VTN's JID; the VTN's pushes are answered 200. */
export function xmppVtnCaseContext(target: VtnTarget, access: XmppVtnAccess): VtnCaseContext {
  const exchanges: Exchange[] = [];
  const clients = new Map<string, XmppClient>();
  const passwords = new Map<string, string>();
  const endpoints = new Map<string, PushEndpoint>();
  const newVen = (label: string): VenIdentity => {
    const { username, password } = access.account(label);
    passwords.set(username, password);
    return { label, keyPem: '', certPem: '', venId: username };
  };
  const clientOf = async (ven: VenIdentity): Promise<XmppClient> => {
    let client = clients.get(ven.venId);
    if (!client) {
      client = openXmpp({ service: access.service, domain: access.domain, username: ven.venId, password: passwords.get(ven.venId) ?? '', resource: 'conformance', ca: access.ca });
      client.on('error', () => undefined);
      // Pushes are IQ sets to the VEN's JID: recorded on its endpoint (if a case opened one) and answered there.
      client.iqCallee.set(OADR_NS, 'oadrPayload', (iq) => {
        const endpoint = endpoints.get(ven.venId);
        const ok: OadrMessage = { type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId: ven.venId };
        if (!endpoint) return payloadElement(serializePayload(ok));
        const body = iq.element.toString();
        let reply: OadrMessage;
        let service: ServiceName = 'EiEvent';
        try {
          const { message } = parsePayload(body);
          service = SERVICE_OF_VTN_PAYLOAD[message.type] ?? service;
          endpoint.received.push({ service: 'xmpp', message });
          reply = endpoint.answer(message);
        } catch (error) {
          endpoint.received.push({ service: 'xmpp', message: { type: 'oadrResponse', response: { responseCode: ResponseCode.invalidData, responseDescription: `not schema-valid: ${error instanceof Error ? error.message : String(error)}`, requestId: '' } } });
          reply = { type: 'oadrResponse', response: { responseCode: ResponseCode.invalidData, requestId: '' } };
        }
        const text = serializePayload(reply);
        exchanges.push({ service, sent: text, received: body, status: 200 });
        return payloadElement(text);
      });
      await client.start();
      clients.set(ven.venId, client);
    }
    return client;
  };
  const defaultVen = newVen('conformance-ven');
  return {
    target, exchanges, defaultVen, newVen,
    xmpp: { jidOf: (ven) => `${ven.venId}@${access.domain}/conformance` },
    async pushEndpoint(ven) {
      const endpoint: PushEndpoint = { address: `${ven.venId}@${access.domain}/conformance`, received: [], answer: () => ({ type: 'oadrResponse', response: { responseCode: 200, requestId: '' }, venId: ven.venId }) };
      endpoints.set(ven.venId, endpoint);
      await clientOf(ven);
      return endpoint;
    },
    async send(service: ServiceName, payload: OadrMessage | string, options = {}) {
      const ven = options.as ?? defaultVen;
      let text = typeof payload === 'string' ? payload : serializePayload(payload);
      if (options.sign) text = signPayload(text, { privateKeyPem: ven.keyPem, certificatePem: ven.certPem }, { now: { epochMs: Date.now(), microsOfMs: 0 } });
      const client = await clientOf(ven);
      let reply;
      try {
        reply = await client.iqCaller.request(xml('iq', { type: 'set', to: access.vtnJid }, payloadElement(text)), 15_000);
      } catch (error) {
        throw new CaseFailure(`the VTN answered the IQ with an error: ${error instanceof Error ? error.message : String(error)}`);
      }
      const child = reply.getChild('oadrPayload', OADR_NS);
      const received = child?.toString() ?? '';
      exchanges.push({ service, sent: text, received, status: 200 });
      if (!child) throw new CaseFailure('the VTN answered the IQ without a payload');
      try {
        return parsePayload(received).message;
      } catch (error) {
        throw new CaseFailure(`the VTN's answer is not a schema-valid 2.0b payload: ${error instanceof OadrError ? error.message : String(error)}`);
      }
    },
    async stop() {
      for (const c of clients.values()) { c.reconnect.stop(); await c.stop().catch(() => undefined); }
    },
  };
}
