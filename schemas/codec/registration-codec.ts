import { PROFILE_NAMES, SERVICE_NAMES, TRANSPORT_NAMES } from '../model/enums.js';
import type {
  OadrCancelPartyRegistration, OadrCanceledPartyRegistration, OadrCreatePartyRegistration,
  OadrCreatedPartyRegistration, OadrPoll, OadrQueryRegistration, OadrRequestReregistration, OadrResponse,
} from '../model/payloads.js';
import type { KeyValue } from '../model/registration.js';
import { dropUndefined, readEiResponse, writeEiResponse } from './common-codec.js';
import type { ElementReader } from './xml-reader.js';
import type { ElementWriter } from './xml-writer.js';

const readInfo = (r: ElementReader): KeyValue[] => r.all('oadr', 'oadrInfo').map((i) => ({ key: i.str('oadr', 'oadrKey'), value: i.str('oadr', 'oadrValue') }));
const writeInfo = (w: ElementWriter, info: readonly KeyValue[]): void => {
  for (const kv of info) w.el('oadr', 'oadrInfo', (i) => i.text('oadr', 'oadrKey', kv.key).text('oadr', 'oadrValue', kv.value));
};

export function readQueryRegistration(r: ElementReader): OadrQueryRegistration {
  return { type: 'oadrQueryRegistration', requestId: r.str('pyld', 'requestID') };
}

export function writeQueryRegistration(w: ElementWriter, m: OadrQueryRegistration): void {
  w.text('pyld', 'requestID', m.requestId);
}

export function readCreatePartyRegistration(r: ElementReader): OadrCreatePartyRegistration {
  return dropUndefined({
    type: 'oadrCreatePartyRegistration' as const,
    requestId: r.str('pyld', 'requestID'),
    registrationId: r.optStr('ei', 'registrationID'),
    venId: r.optStr('ei', 'venID'),
    profileName: r.enumeration('oadr', 'oadrProfileName', PROFILE_NAMES),
    transportName: r.enumeration('oadr', 'oadrTransportName', TRANSPORT_NAMES),
    transportAddress: r.optStr('oadr', 'oadrTransportAddress'),
    reportOnly: r.bool('oadr', 'oadrReportOnly'),
    xmlSignature: r.bool('oadr', 'oadrXmlSignature'),
    venName: r.optStr('oadr', 'oadrVenName'),
    httpPullModel: r.optBool('oadr', 'oadrHttpPullModel'),
  });
}

export function writeCreatePartyRegistration(w: ElementWriter, m: OadrCreatePartyRegistration): void {
  w.text('pyld', 'requestID', m.requestId).text('ei', 'registrationID', m.registrationId).text('ei', 'venID', m.venId)
    .text('oadr', 'oadrProfileName', m.profileName).text('oadr', 'oadrTransportName', m.transportName)
    .text('oadr', 'oadrTransportAddress', m.transportAddress).text('oadr', 'oadrReportOnly', m.reportOnly)
    .text('oadr', 'oadrXmlSignature', m.xmlSignature).text('oadr', 'oadrVenName', m.venName).text('oadr', 'oadrHttpPullModel', m.httpPullModel);
}

export function readCreatedPartyRegistration(r: ElementReader): OadrCreatedPartyRegistration {
  const info = r.opt('oadr', 'oadrServiceSpecificInfo');
  const extensions = r.opt('oadr', 'oadrExtensions');
  return dropUndefined({
    type: 'oadrCreatedPartyRegistration' as const,
    response: readEiResponse(r.one('ei', 'eiResponse')),
    registrationId: r.optStr('ei', 'registrationID'),
    venId: r.optStr('ei', 'venID'),
    vtnId: r.str('ei', 'vtnID'),
    profiles: r.one('oadr', 'oadrProfiles').all('oadr', 'oadrProfile').map((p) => ({
      profileName: p.enumeration('oadr', 'oadrProfileName', PROFILE_NAMES),
      transports: p.one('oadr', 'oadrTransports').all('oadr', 'oadrTransport').map((t) => t.enumeration('oadr', 'oadrTransportName', TRANSPORT_NAMES)),
    })),
    requestedPollFrequency: r.optDurationProp('oadr', 'oadrRequestedOadrPollFreq'),
    serviceSpecificInfo: info?.all('oadr', 'oadrService').map((s) => ({ serviceName: s.enumeration('oadr', 'oadrServiceName', SERVICE_NAMES), info: readInfo(s) })),
    extensions: extensions?.all('oadr', 'oadrExtension').map((e) => ({ name: e.str('oadr', 'oadrExtensionName'), info: readInfo(e) })),
  });
}

export function writeCreatedPartyRegistration(w: ElementWriter, m: OadrCreatedPartyRegistration): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response))
    .text('ei', 'registrationID', m.registrationId).text('ei', 'venID', m.venId).text('ei', 'vtnID', m.vtnId)
    .el('oadr', 'oadrProfiles', (ps) => {
      for (const profile of m.profiles) {
        ps.el('oadr', 'oadrProfile', (p) => p.text('oadr', 'oadrProfileName', profile.profileName).el('oadr', 'oadrTransports', (ts) => {
          for (const transport of profile.transports) ts.el('oadr', 'oadrTransport', (t) => t.text('oadr', 'oadrTransportName', transport));
        }));
      }
    })
    .durationProp('oadr', 'oadrRequestedOadrPollFreq', m.requestedPollFrequency)
    .optEl('oadr', 'oadrServiceSpecificInfo', m.serviceSpecificInfo, (si, services) => {
      for (const service of services) si.el('oadr', 'oadrService', (s) => { s.text('oadr', 'oadrServiceName', service.serviceName); writeInfo(s, service.info); });
    })
    .optEl('oadr', 'oadrExtensions', m.extensions, (ex, extensions) => {
      for (const extension of extensions) ex.el('oadr', 'oadrExtension', (e) => { e.text('oadr', 'oadrExtensionName', extension.name); writeInfo(e, extension.info); });
    });
}

export function readCancelPartyRegistration(r: ElementReader): OadrCancelPartyRegistration {
  return dropUndefined({ type: 'oadrCancelPartyRegistration' as const, requestId: r.str('pyld', 'requestID'), registrationId: r.str('ei', 'registrationID'), venId: r.optStr('ei', 'venID') });
}

export function writeCancelPartyRegistration(w: ElementWriter, m: OadrCancelPartyRegistration): void {
  w.text('pyld', 'requestID', m.requestId).text('ei', 'registrationID', m.registrationId).text('ei', 'venID', m.venId);
}

export function readCanceledPartyRegistration(r: ElementReader): OadrCanceledPartyRegistration {
  return dropUndefined({ type: 'oadrCanceledPartyRegistration' as const, response: readEiResponse(r.one('ei', 'eiResponse')), registrationId: r.optStr('ei', 'registrationID'), venId: r.optStr('ei', 'venID') });
}

export function writeCanceledPartyRegistration(w: ElementWriter, m: OadrCanceledPartyRegistration): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response)).text('ei', 'registrationID', m.registrationId).text('ei', 'venID', m.venId);
}

export function readRequestReregistration(r: ElementReader): OadrRequestReregistration {
  return { type: 'oadrRequestReregistration', venId: r.str('ei', 'venID') };
}

export function writeRequestReregistration(w: ElementWriter, m: OadrRequestReregistration): void {
  w.text('ei', 'venID', m.venId);
}

export function readPoll(r: ElementReader): OadrPoll {
  return { type: 'oadrPoll', venId: r.str('ei', 'venID') };
}

export function writePoll(w: ElementWriter, m: OadrPoll): void {
  w.text('ei', 'venID', m.venId);
}

export function readResponse(r: ElementReader): OadrResponse {
  return dropUndefined({ type: 'oadrResponse' as const, response: readEiResponse(r.one('ei', 'eiResponse')), venId: r.optStr('ei', 'venID') });
}

export function writeResponse(w: ElementWriter, m: OadrResponse): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response)).text('ei', 'venID', m.venId);
}
