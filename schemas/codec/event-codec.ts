import { EVENT_STATUSES, OPT_TYPES, RESPONSE_REQUIRED, SIGNAL_NAMES, SIGNAL_TYPES } from '../model/enums.js';
import type { EventBaseline, EventResponse, EventSignal, OadrEvent } from '../model/event.js';
import type { PayloadValue } from '../model/common.js';
import type { OadrCreatedEvent, OadrDistributeEvent, OadrRequestEvent } from '../model/payloads.js';
import {
  dropUndefined, readCalendarProperties, readEiResponse, readIntervals, readOptItemBase, readPayloadValue,
  readQualifiedEventId, readTarget, writeCalendarProperties, writeEiResponse, writeIntervals, writeItemBase,
  writePayloadValue, writeQualifiedEventId, writeTargetContent,
} from './common-codec.js';
import type { ElementReader } from './xml-reader.js';
import type { ElementWriter } from './xml-writer.js';

const readSignalPayloads = (i: ElementReader): PayloadValue[] => i.all('ei', 'signalPayload').map(readPayloadValue);
const writeSignalPayload = (w: ElementWriter, p: PayloadValue): void => { w.el('ei', 'signalPayload', (s) => writePayloadValue(s, p)); };

function readSignal(r: ElementReader): EventSignal {
  return dropUndefined({
    intervals: readIntervals(r.one('strm', 'intervals'), readSignalPayloads),
    target: r.opt('ei', 'eiTarget') && readTarget(r.one('ei', 'eiTarget')),
    signalName: r.enumeration('ei', 'signalName', SIGNAL_NAMES, true),
    signalType: r.enumeration('ei', 'signalType', SIGNAL_TYPES),
    signalId: r.str('ei', 'signalID'),
    itemBase: readOptItemBase(r),
    currentValue: r.opt('ei', 'currentValue')?.one('ei', 'payloadFloat').float('ei', 'value'),
  });
}

function writeSignal(w: ElementWriter, s: EventSignal): void {
  w.el('ei', 'eiEventSignal', (e) => {
    writeIntervals(e, s.intervals, writeSignalPayload);
    e.optEl('ei', 'eiTarget', s.target, writeTargetContent);
    e.text('ei', 'signalName', s.signalName).text('ei', 'signalType', s.signalType).text('ei', 'signalID', s.signalId);
    writeItemBase(e, s.itemBase);
    e.optEl('ei', 'currentValue', s.currentValue, (c, v) => c.el('ei', 'payloadFloat', (f) => f.text('ei', 'value', v)));
  });
}

function readBaseline(r: ElementReader): EventBaseline {
  return dropUndefined({
    dtstart: r.dtstart(),
    duration: r.durationProp('xcal', 'duration'),
    intervals: readIntervals(r.one('strm', 'intervals'), readSignalPayloads),
    baselineId: r.str('ei', 'baselineID'),
    resourceIds: r.strs('ei', 'resourceID'),
    baselineName: r.str('ei', 'baselineName'),
    itemBase: readOptItemBase(r),
  });
}

function writeBaseline(w: ElementWriter, b: EventBaseline): void {
  w.el('ei', 'eiEventBaseline', (e) => {
    e.dtstart(b.dtstart).durationProp('xcal', 'duration', b.duration);
    writeIntervals(e, b.intervals, writeSignalPayload);
    e.text('ei', 'baselineID', b.baselineId).texts('ei', 'resourceID', b.resourceIds).text('ei', 'baselineName', b.baselineName);
    writeItemBase(e, b.itemBase);
  });
}

function readEvent(r: ElementReader): OadrEvent {
  const event = r.one('ei', 'eiEvent');
  const d = event.one('ei', 'eventDescriptor');
  const signals = event.one('ei', 'eiEventSignals');
  return dropUndefined({
    descriptor: dropUndefined({
      eventId: d.str('ei', 'eventID'),
      modificationNumber: d.uint('ei', 'modificationNumber'),
      modificationDateTime: d.optDateTime('ei', 'modificationDateTime'),
      modificationReason: d.optStr('ei', 'modificationReason'),
      priority: d.optUint('ei', 'priority'),
      marketContext: d.one('ei', 'eiMarketContext').one('emix', 'marketContext').token(),
      createdDateTime: d.dateTime('ei', 'createdDateTime'),
      eventStatus: d.enumeration('ei', 'eventStatus', EVENT_STATUSES),
      testEvent: d.optStr('ei', 'testEvent'),
      vtnComment: d.optStr('ei', 'vtnComment'),
    }),
    activePeriod: readCalendarProperties(event.one('ei', 'eiActivePeriod')),
    signals: signals.all('ei', 'eiEventSignal').map(readSignal),
    baseline: signals.opt('ei', 'eiEventBaseline') && readBaseline(signals.one('ei', 'eiEventBaseline')),
    target: readTarget(event.one('ei', 'eiTarget')),
    responseRequired: r.enumeration('oadr', 'oadrResponseRequired', RESPONSE_REQUIRED),
  });
}

function writeEvent(w: ElementWriter, e: OadrEvent): void {
  w.el('oadr', 'oadrEvent', (o) => {
    o.el('ei', 'eiEvent', (ev) => {
      const d = e.descriptor;
      ev.el('ei', 'eventDescriptor', (x) => {
        x.text('ei', 'eventID', d.eventId).text('ei', 'modificationNumber', d.modificationNumber)
          .dateTime('ei', 'modificationDateTime', d.modificationDateTime).text('ei', 'modificationReason', d.modificationReason)
          .text('ei', 'priority', d.priority)
          .el('ei', 'eiMarketContext', (m) => m.text('emix', 'marketContext', d.marketContext))
          .dateTime('ei', 'createdDateTime', d.createdDateTime).text('ei', 'eventStatus', d.eventStatus)
          .text('ei', 'testEvent', d.testEvent).text('ei', 'vtnComment', d.vtnComment);
      });
      ev.el('ei', 'eiActivePeriod', (p) => {
        writeCalendarProperties(p, e.activePeriod);
        // 2.0b: components is required and always empty; xsi:nil says so explicitly.
        p.el('xcal', 'components', (c) => c.attr('xsi', 'nil', 'true'));
      });
      ev.el('ei', 'eiEventSignals', (s) => {
        for (const signal of e.signals) writeSignal(s, signal);
        if (e.baseline) writeBaseline(s, e.baseline);
      });
      ev.el('ei', 'eiTarget', (t) => writeTargetContent(t, e.target));
    });
    o.text('oadr', 'oadrResponseRequired', e.responseRequired);
  });
}

export function readDistributeEvent(r: ElementReader): OadrDistributeEvent {
  return dropUndefined({
    type: 'oadrDistributeEvent' as const,
    response: r.opt('ei', 'eiResponse') && readEiResponse(r.one('ei', 'eiResponse')),
    requestId: r.str('pyld', 'requestID'),
    vtnId: r.str('ei', 'vtnID'),
    events: r.all('oadr', 'oadrEvent').map(readEvent),
  });
}

export function writeDistributeEvent(w: ElementWriter, m: OadrDistributeEvent): void {
  w.optEl('ei', 'eiResponse', m.response, writeEiResponse);
  w.text('pyld', 'requestID', m.requestId).text('ei', 'vtnID', m.vtnId);
  for (const event of m.events) writeEvent(w, event);
}

export function readRequestEvent(r: ElementReader): OadrRequestEvent {
  const request = r.one('pyld', 'eiRequestEvent');
  return dropUndefined({ type: 'oadrRequestEvent' as const, requestId: request.str('pyld', 'requestID'), venId: request.str('ei', 'venID'), replyLimit: request.optUint('pyld', 'replyLimit') });
}

export function writeRequestEvent(w: ElementWriter, m: OadrRequestEvent): void {
  w.el('pyld', 'eiRequestEvent', (e) => e.text('pyld', 'requestID', m.requestId).text('ei', 'venID', m.venId).text('pyld', 'replyLimit', m.replyLimit));
}

function readEventResponse(r: ElementReader): EventResponse {
  return dropUndefined({
    ...readEiResponse(r),
    qualifiedEventId: readQualifiedEventId(r.one('ei', 'qualifiedEventID')),
    optType: r.enumeration('ei', 'optType', OPT_TYPES),
  });
}

export function readCreatedEvent(r: ElementReader): OadrCreatedEvent {
  const created = r.one('pyld', 'eiCreatedEvent');
  const responses = created.opt('ei', 'eventResponses');
  return dropUndefined({
    type: 'oadrCreatedEvent' as const,
    response: readEiResponse(created.one('ei', 'eiResponse')),
    eventResponses: responses?.all('ei', 'eventResponse').map(readEventResponse),
    venId: created.str('ei', 'venID'),
  });
}

export function writeCreatedEvent(w: ElementWriter, m: OadrCreatedEvent): void {
  w.el('pyld', 'eiCreatedEvent', (c) => {
    c.el('ei', 'eiResponse', (e) => writeEiResponse(e, m.response));
    c.optEl('ei', 'eventResponses', m.eventResponses, (list, responses) => {
      for (const response of responses) {
        list.el('ei', 'eventResponse', (e) => {
          writeEiResponse(e, response);
          writeQualifiedEventId(e, response.qualifiedEventId);
          e.text('ei', 'optType', response.optType);
        });
      }
    });
    c.text('ei', 'venID', m.venId);
  });
}
