import { OadrValueError } from '../errors.js';
import type {
  CalendarProperties, EiResponse, EiTarget, FeatureCollection, Interval, ItemBase, LoadControlState,
  LoadControlStateValue, PayloadValue, QualifiedEventId,
} from '../model/common.js';
import { SI_SCALE_CODES } from '../model/enums.js';
import type { ElementReader } from './xml-reader.js';
import type { ElementWriter } from './xml-writer.js';

// ---- ei:eiResponse -------------------------------------------------------------------

export function readEiResponse(r: ElementReader): EiResponse {
  const code = r.one('ei', 'responseCode');
  const text = code.token();
  if (!/^\d{3}$/.test(text)) throw new OadrValueError(code.path, `responseCode must be three digits, got '${text}'`);
  return { responseCode: Number(text), responseDescription: r.optStr('ei', 'responseDescription'), requestId: r.str('pyld', 'requestID') };
}

export function writeEiResponse(w: ElementWriter, response: EiResponse): void {
  w.text('ei', 'responseCode', String(response.responseCode).padStart(3, '0'))
    .text('ei', 'responseDescription', response.responseDescription)
    .text('pyld', 'requestID', response.requestId);
}

export function readQualifiedEventId(r: ElementReader): QualifiedEventId {
  return { eventId: r.str('ei', 'eventID'), modificationNumber: r.uint('ei', 'modificationNumber') };
}

export function writeQualifiedEventId(w: ElementWriter, id: QualifiedEventId): void {
  w.el('ei', 'qualifiedEventID', (q) => q.text('ei', 'eventID', id.eventId).text('ei', 'modificationNumber', id.modificationNumber));
}

// ---- ei:eiTarget ---------------------------------------------------------------------

function readFeatureCollection(r: ElementReader): FeatureCollection {
  const polygon = r.one('gml', 'location').one('gml', 'Polygon');
  const posList = polygon.one('gml', 'exterior').one('gml', 'LinearRing').one('gml', 'posList');
  const numbers = posList.token().split(/\s+/).filter(Boolean).map((v) => {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new OadrValueError(posList.path, `not a coordinate: '${v}'`);
    return n;
  });
  return { id: r.attr('gml', 'id'), polygonId: polygon.attr('gml', 'id'), posList: numbers };
}

function writeFeatureCollection(w: ElementWriter, fc: FeatureCollection): void {
  w.el('gml', 'FeatureCollection', (c) => {
    if (fc.id !== undefined) c.attr('gml', 'id', fc.id);
    c.el('gml', 'location', (l) => l.el('gml', 'Polygon', (p) => {
      if (fc.polygonId !== undefined) p.attr('gml', 'id', fc.polygonId);
      p.el('gml', 'exterior', (e) => e.el('gml', 'LinearRing', (ring) => ring.text('gml', 'posList', fc.posList.map(String).join(' '))));
    }));
  });
}

function nodes(r: ElementReader, name: string): string[] | undefined {
  const values = r.all('power', name).map((n) => n.str('power', 'node'));
  return values.length > 0 ? values : undefined;
}

function mrids(r: ElementReader, name: string): string[] | undefined {
  const values = r.all('power', name).map((n) => n.str('power', 'mrid'));
  return values.length > 0 ? values : undefined;
}

function nonEmpty<T>(values: T[]): T[] | undefined {
  return values.length > 0 ? values : undefined;
}

export function readTarget(r: ElementReader): EiTarget {
  const target: EiTarget = {
    aggregatedPnodes: nodes(r, 'aggregatedPnode'),
    endDeviceAssets: mrids(r, 'endDeviceAsset'),
    meterAssets: mrids(r, 'meterAsset'),
    pnodes: nodes(r, 'pnode'),
    serviceAreas: nonEmpty(r.all('emix', 'serviceArea').map((a) => readFeatureCollection(a.one('gml', 'FeatureCollection')))),
    serviceDeliveryPoints: nodes(r, 'serviceDeliveryPoint'),
    serviceLocations: nonEmpty(r.all('power', 'serviceLocation').map((a) => readFeatureCollection(a.one('gml', 'FeatureCollection')))),
    transportInterfaces: nonEmpty(r.all('power', 'transportInterface').map((t) => ({ pointOfReceipt: t.str('power', 'pointOfReceipt'), pointOfDelivery: t.str('power', 'pointOfDelivery') }))),
    groupIds: r.strs('ei', 'groupID'),
    groupNames: r.strs('ei', 'groupName'),
    resourceIds: r.strs('ei', 'resourceID'),
    venIds: r.strs('ei', 'venID'),
    partyIds: r.strs('ei', 'partyID'),
  };
  return dropUndefined(target);
}

/** Writes the content of an EiTargetType element, in the XSD's sequence order. */
export function writeTargetContent(w: ElementWriter, t: EiTarget): void {
  for (const node of t.aggregatedPnodes ?? []) w.el('power', 'aggregatedPnode', (n) => n.text('power', 'node', node));
  for (const mrid of t.endDeviceAssets ?? []) w.el('power', 'endDeviceAsset', (n) => n.text('power', 'mrid', mrid));
  for (const mrid of t.meterAssets ?? []) w.el('power', 'meterAsset', (n) => n.text('power', 'mrid', mrid));
  for (const node of t.pnodes ?? []) w.el('power', 'pnode', (n) => n.text('power', 'node', node));
  for (const area of t.serviceAreas ?? []) w.el('emix', 'serviceArea', (n) => writeFeatureCollection(n, area));
  for (const node of t.serviceDeliveryPoints ?? []) w.el('power', 'serviceDeliveryPoint', (n) => n.text('power', 'node', node));
  for (const location of t.serviceLocations ?? []) w.el('power', 'serviceLocation', (n) => writeFeatureCollection(n, location));
  for (const ti of t.transportInterfaces ?? []) w.el('power', 'transportInterface', (n) => n.text('power', 'pointOfReceipt', ti.pointOfReceipt).text('power', 'pointOfDelivery', ti.pointOfDelivery));
  w.texts('ei', 'groupID', t.groupIds).texts('ei', 'groupName', t.groupNames).texts('ei', 'resourceID', t.resourceIds)
    .texts('ei', 'venID', t.venIds).texts('ei', 'partyID', t.partyIds);
}

// ---- emix:itemBase substitution group ---------------------------------------------------

const POWER_KINDS = ['powerReal', 'powerApparent', 'powerReactive'] as const;
const SIMPLE_POWER_NS_KINDS = ['energyReal', 'energyApparent', 'energyReactive', 'voltage'] as const;
const SIMPLE_OADR_KINDS = ['current', 'frequency', 'Therm', 'customUnit'] as const;
const CURRENCY_KINDS = ['currency', 'currencyPerKWh', 'currencyPerKW', 'currencyPerThm'] as const;

function includes<T extends string>(list: readonly T[], value: string): value is T {
  return (list as readonly string[]).includes(value);
}

/** Finds the itemBase member among `r`'s children, if any. */
export function readOptItemBase(r: ElementReader): ItemBase | undefined {
  for (const child of r.elements()) {
    const item = readItemBaseMember(child);
    if (item) return item;
  }
  return undefined;
}

function readItemBaseMember(r: ElementReader): ItemBase | undefined {
  const name = r.node.name;
  const scale = (): (typeof SI_SCALE_CODES)[number] => r.enumeration('scale', 'siScaleCode', SI_SCALE_CODES);
  if (r.is('power', name) && includes(POWER_KINDS, name)) {
    const attrs = r.one('power', 'powerAttributes');
    return {
      kind: name, itemDescription: r.str('power', 'itemDescription'), itemUnits: r.str('power', 'itemUnits'), siScaleCode: scale(),
      powerAttributes: { hertz: attrs.float('power', 'hertz'), voltage: attrs.float('power', 'voltage'), ac: attrs.bool('power', 'ac') },
    };
  }
  if (r.is('power', name) && includes(SIMPLE_POWER_NS_KINDS, name)) {
    return { kind: name, itemDescription: r.str('power', 'itemDescription'), itemUnits: r.str('power', 'itemUnits'), siScaleCode: scale() };
  }
  if (!r.is('oadr', name)) return undefined;
  if (includes(SIMPLE_OADR_KINDS, name)) {
    return { kind: name, itemDescription: r.str('oadr', 'itemDescription'), itemUnits: r.str('oadr', 'itemUnits'), siScaleCode: scale() };
  }
  if (includes(CURRENCY_KINDS, name)) {
    return { kind: name, itemDescription: r.enumeration('oadr', 'itemDescription', ['currency', 'currencyPerKW', 'currencyPerKWh'] as const), itemUnits: r.one('oadr', 'itemUnits').token(), siScaleCode: scale() };
  }
  if (name === 'temperature') {
    return { kind: 'temperature', itemDescription: r.enumeration('oadr', 'itemDescription', ['temperature'] as const), itemUnits: r.enumeration('oadr', 'itemUnits', ['celsius', 'fahrenheit'] as const), siScaleCode: scale() };
  }
  if (name === 'pulseCount') {
    return { kind: 'pulseCount', itemDescription: r.enumeration('oadr', 'itemDescription', ['pulse count'] as const), itemUnits: r.enumeration('oadr', 'itemUnits', ['count'] as const), pulseFactor: r.float('oadr', 'pulseFactor') };
  }
  if (name === 'oadrGBDataDescription') {
    return { kind: 'greenButtonDataDescription', feed: { xml: serializeOpaque(r.one('atom', 'feed')) } };
  }
  return undefined;
}

export function writeItemBase(w: ElementWriter, item: ItemBase | undefined): void {
  if (!item) return;
  switch (item.kind) {
    case 'powerReal': case 'powerApparent': case 'powerReactive':
      w.el('power', item.kind, (e) => e.text('power', 'itemDescription', item.itemDescription).text('power', 'itemUnits', item.itemUnits)
        .text('scale', 'siScaleCode', item.siScaleCode)
        .el('power', 'powerAttributes', (a) => a.text('power', 'hertz', item.powerAttributes.hertz).text('power', 'voltage', item.powerAttributes.voltage).text('power', 'ac', item.powerAttributes.ac)));
      return;
    case 'energyReal': case 'energyApparent': case 'energyReactive': case 'voltage':
      w.el('power', item.kind, (e) => e.text('power', 'itemDescription', item.itemDescription).text('power', 'itemUnits', item.itemUnits).text('scale', 'siScaleCode', item.siScaleCode));
      return;
    case 'current': case 'frequency': case 'Therm': case 'customUnit':
    case 'currency': case 'currencyPerKWh': case 'currencyPerKW': case 'currencyPerThm': case 'temperature':
      w.el('oadr', item.kind, (e) => e.text('oadr', 'itemDescription', item.itemDescription).text('oadr', 'itemUnits', item.itemUnits).text('scale', 'siScaleCode', item.siScaleCode));
      return;
    case 'pulseCount':
      w.el('oadr', 'pulseCount', (e) => e.text('oadr', 'itemDescription', item.itemDescription).text('oadr', 'itemUnits', item.itemUnits).text('oadr', 'pulseFactor', item.pulseFactor));
      return;
    case 'greenButtonDataDescription':
      w.el('oadr', 'oadrGBDataDescription', (e) => e.fragment(item.feed.xml));
      return;
    default: {
      const never: never = item;
      throw new Error(`unknown itemBase ${JSON.stringify(never)}`);
    }
  }
}

// ---- ei:payloadBase substitution group ----------------------------------------------------

function readLoadControlValue(r: ElementReader): LoadControlStateValue {
  return dropUndefined({ min: r.optFloat('oadr', 'oadrMin'), max: r.optFloat('oadr', 'oadrMax'), current: r.float('oadr', 'oadrCurrent'), normal: r.optFloat('oadr', 'oadrNormal') });
}

function writeLoadControlValue(w: ElementWriter, name: string, v: LoadControlStateValue | undefined): void {
  w.optEl('oadr', name, v, (e, x) => e.text('oadr', 'oadrMin', x.min).text('oadr', 'oadrMax', x.max).text('oadr', 'oadrCurrent', x.current).text('oadr', 'oadrNormal', x.normal));
}

/** Reads the one payloadBase member inside `r` (ei:payloadFloat or oadr:oadrPayloadResourceStatus). */
export function readPayloadValue(r: ElementReader): PayloadValue {
  const float = r.opt('ei', 'payloadFloat');
  if (float) return { kind: 'float', value: float.float('ei', 'value') };
  const status = r.opt('oadr', 'oadrPayloadResourceStatus');
  if (status) {
    const lcs = status.opt('oadr', 'oadrLoadControlState');
    const loadControlState: LoadControlState | undefined = lcs && dropUndefined({
      capacity: lcs.opt('oadr', 'oadrCapacity') && readLoadControlValue(lcs.one('oadr', 'oadrCapacity')),
      levelOffset: lcs.opt('oadr', 'oadrLevelOffset') && readLoadControlValue(lcs.one('oadr', 'oadrLevelOffset')),
      percentOffset: lcs.opt('oadr', 'oadrPercentOffset') && readLoadControlValue(lcs.one('oadr', 'oadrPercentOffset')),
      setPoint: lcs.opt('oadr', 'oadrSetPoint') && readLoadControlValue(lcs.one('oadr', 'oadrSetPoint')),
    });
    return dropUndefined({ kind: 'resourceStatus' as const, online: status.bool('oadr', 'oadrOnline'), manualOverride: status.bool('oadr', 'oadrManualOverride'), loadControlState });
  }
  throw new OadrValueError(r.path, 'missing payload value (ei:payloadFloat or oadr:oadrPayloadResourceStatus)');
}

export function writePayloadValue(w: ElementWriter, value: PayloadValue): void {
  switch (value.kind) {
    case 'float':
      w.el('ei', 'payloadFloat', (p) => p.text('ei', 'value', value.value));
      return;
    case 'resourceStatus':
      w.el('oadr', 'oadrPayloadResourceStatus', (p) => {
        p.text('oadr', 'oadrOnline', value.online).text('oadr', 'oadrManualOverride', value.manualOverride);
        p.optEl('oadr', 'oadrLoadControlState', value.loadControlState, (l, s) => {
          writeLoadControlValue(l, 'oadrCapacity', s.capacity);
          writeLoadControlValue(l, 'oadrLevelOffset', s.levelOffset);
          writeLoadControlValue(l, 'oadrPercentOffset', s.percentOffset);
          writeLoadControlValue(l, 'oadrSetPoint', s.setPoint);
        });
      });
      return;
    default: {
      const never: never = value;
      throw new Error(`unknown payload ${JSON.stringify(never)}`);
    }
  }
}

// ---- intervals and calendar properties ------------------------------------------------------

export function readIntervals<P>(r: ElementReader, readPayloads: (interval: ElementReader) => P[]): Interval<P>[] {
  return r.all('ei', 'interval').map((i) => dropUndefined({
    dtstart: i.optDtstart(),
    duration: i.optDurationProp('xcal', 'duration'),
    uid: i.opt('xcal', 'uid')?.str('xcal', 'text'),
    payloads: readPayloads(i),
  }));
}

export function writeIntervals<P>(w: ElementWriter, intervals: readonly Interval<P>[], writePayload: (w: ElementWriter, p: P) => void): void {
  w.el('strm', 'intervals', (list) => {
    for (const interval of intervals) {
      list.el('ei', 'interval', (i) => {
        i.dtstart(interval.dtstart).durationProp('xcal', 'duration', interval.duration);
        i.optEl('xcal', 'uid', interval.uid, (u, uid) => u.text('xcal', 'text', uid));
        for (const payload of interval.payloads) writePayload(i, payload);
      });
    }
  });
}

export function readCalendarProperties(r: ElementReader): CalendarProperties {
  const props = r.one('xcal', 'properties');
  return dropUndefined({
    dtstart: props.dtstart(),
    duration: props.durationProp('xcal', 'duration'),
    startAfter: props.opt('xcal', 'tolerance')?.one('xcal', 'tolerate').opt('xcal', 'startafter')?.asDuration(),
    notification: props.optDurationProp('ei', 'x-eiNotification'),
    rampUp: props.optDurationProp('ei', 'x-eiRampUp'),
    recovery: props.optDurationProp('ei', 'x-eiRecovery'),
  });
}

export function writeCalendarProperties(w: ElementWriter, p: CalendarProperties): void {
  w.el('xcal', 'properties', (x) => {
    x.dtstart(p.dtstart).durationProp('xcal', 'duration', p.duration);
    x.optEl('xcal', 'tolerance', p.startAfter, (t, startAfter) => t.el('xcal', 'tolerate', (tt) => tt.durationValue('xcal', 'startafter', startAfter)));
    x.durationProp('ei', 'x-eiNotification', p.notification).durationProp('ei', 'x-eiRampUp', p.rampUp).durationProp('ei', 'x-eiRecovery', p.recovery);
  });
}

// ---- helpers -------------------------------------------------------------------------------

/** Removes keys whose value is undefined, so decoded objects compare equal to hand-built ones. */
export function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

/** Serializes an element subtree we carry opaquely, declaring the namespaces it uses. */
export function serializeOpaque(r: ElementReader): string {
  const prefixes = new Map<string, string>();
  const prefixFor = (ns: string): string => {
    if (ns === '') return '';
    let prefix = prefixes.get(ns);
    if (!prefix) prefixes.set(ns, (prefix = `n${prefixes.size}`));
    return prefix;
  };
  const escape = (s: string, attr: boolean): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(attr ? /"/g : /$^/, '&quot;');
  const write = (node: ElementReader['node']): string => {
    const tag = node.ns ? `${prefixFor(node.ns)}:${node.name}` : node.name;
    const attrs = node.attrs.map((a) => ` ${a.ns ? `${prefixFor(a.ns)}:` : ''}${a.name}="${escape(a.value, true)}"`).join('');
    return `<${tag}${attrs}>${escape(node.text.trim() === '' ? '' : node.text, false)}${node.children.map(write).join('')}</${tag}>`;
  };
  const body = write(r.node);
  const declarations = [...prefixes].map(([ns, prefix]) => ` xmlns:${prefix}="${escape(ns, true)}"`).join('');
  const open = body.indexOf('>');
  const selfTagEnd = body.slice(0, open);
  return `${selfTagEnd}${declarations}${body.slice(open)}`;
}
