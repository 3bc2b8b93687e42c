import { OPT_REASONS, OPT_TYPES } from '../model/enums.js';
import type { OadrCancelOpt, OadrCanceledOpt, OadrCreateOpt, OadrCreatedOpt } from '../model/payloads.js';
import {
  dropUndefined, readCalendarProperties, readEiResponse, readQualifiedEventId, readTarget,
  writeCalendarProperties, writeEiResponse, writeQualifiedEventId, writeTargetContent,
} from './common-codec.js';
import type { ElementReader } from './xml-reader.js';
import type { ElementWriter } from './xml-writer.js';

export function readCreateOpt(r: ElementReader): OadrCreateOpt {
  const availability = r.opt('xcal', 'vavailability');
  return dropUndefined({
    type: 'oadrCreateOpt' as const,
    optId: r.str('ei', 'optID'),
    optType: r.enumeration('ei', 'optType', OPT_TYPES),
    optReason: r.enumeration('ei', 'optReason', OPT_REASONS, true),
    marketContext: r.opt('emix', 'marketContext')?.token(),
    venId: r.str('ei', 'venID'),
    availability: availability?.one('xcal', 'components').all('xcal', 'available').map(readCalendarProperties),
    createdDateTime: r.dateTime('ei', 'createdDateTime'),
    requestId: r.str('pyld', 'requestID'),
    qualifiedEventId: r.opt('ei', 'qualifiedEventID') && readQualifiedEventId(r.one('ei', 'qualifiedEventID')),
    target: readTarget(r.one('ei', 'eiTarget')),
    deviceClass: r.opt('oadr', 'oadrDeviceClass') && readTarget(r.one('oadr', 'oadrDeviceClass')),
  });
}

export function writeCreateOpt(w: ElementWriter, m: OadrCreateOpt): void {
  w.text('ei', 'optID', m.optId).text('ei', 'optType', m.optType).text('ei', 'optReason', m.optReason)
    .text('emix', 'marketContext', m.marketContext).text('ei', 'venID', m.venId);
  w.optEl('xcal', 'vavailability', m.availability, (v, windows) => v.el('xcal', 'components', (c) => {
    for (const window of windows) c.el('xcal', 'available', (a) => writeCalendarProperties(a, window));
  }));
  w.dateTime('ei', 'createdDateTime', m.createdDateTime).text('pyld', 'requestID', m.requestId);
  if (m.qualifiedEventId) writeQualifiedEventId(w, m.qualifiedEventId);
  w.el('ei', 'eiTarget', (t) => writeTargetContent(t, m.target));
  w.optEl('oadr', 'oadrDeviceClass', m.deviceClass, writeTargetContent);
}

export function readCreatedOpt(r: ElementReader): OadrCreatedOpt {
  return { type: 'oadrCreatedOpt', response: readEiResponse(r.one('ei', 'eiResponse')), optId: r.str('ei', 'optID') };
}

export function writeCreatedOpt(w: ElementWriter, m: OadrCreatedOpt): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response)).text('ei', 'optID', m.optId);
}

export function readCancelOpt(r: ElementReader): OadrCancelOpt {
  return { type: 'oadrCancelOpt', requestId: r.str('pyld', 'requestID'), optId: r.str('ei', 'optID'), venId: r.str('ei', 'venID') };
}

export function writeCancelOpt(w: ElementWriter, m: OadrCancelOpt): void {
  w.text('pyld', 'requestID', m.requestId).text('ei', 'optID', m.optId).text('ei', 'venID', m.venId);
}

export function readCanceledOpt(r: ElementReader): OadrCanceledOpt {
  return dropUndefined({ type: 'oadrCanceledOpt' as const, response: readEiResponse(r.one('ei', 'eiResponse')), optId: r.optStr('ei', 'optID') });
}

export function writeCanceledOpt(w: ElementWriter, m: OadrCanceledOpt): void {
  w.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response)).text('ei', 'optID', m.optId);
}
