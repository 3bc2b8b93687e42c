import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { DateTime, Duration } from '../../schemas/model/time.js';
import { NS, type NamespacePrefix } from '../../schemas/codec/namespaces.js';
import { formatDateTime, formatDuration } from '../../schemas/codec/time-format.js';
import { formatNumber, type ElementWriter, type PayloadDocument } from '../../schemas/codec/xml-writer.js';

// The payload writer FlexBridge used until 2026-12 (xmlbuilder2's tree), kept as the reference
// the string writer must match byte for byte.
const XMLNS = 'http://www.w3.org/2000/xmlns/';

class XmlbuilderElementWriter implements ElementWriter {
  constructor(readonly builder: XMLBuilder) {}

  el(prefix: NamespacePrefix, name: string, fill?: (w: ElementWriter) => void): this {
    const child = this.builder.ele(NS[prefix], `${prefix}:${name}`);
    if (fill) fill(new XmlbuilderElementWriter(child));
    return this;
  }

  optEl<T>(prefix: NamespacePrefix, name: string, value: T | undefined, fill: (w: ElementWriter, value: T) => void): this {
    if (value !== undefined) this.el(prefix, name, (w) => fill(w, value));
    return this;
  }

  text(prefix: NamespacePrefix, name: string, value: string | number | boolean | undefined): this {
    if (value === undefined) return this;
    this.builder.ele(NS[prefix], `${prefix}:${name}`).txt(typeof value === 'number' ? formatNumber(value) : String(value));
    return this;
  }

  texts(prefix: NamespacePrefix, name: string, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.text(prefix, name, value);
    return this;
  }

  attr(prefix: NamespacePrefix, name: string, value: string): this {
    this.builder.att(NS[prefix], `${prefix}:${name}`, value);
    return this;
  }

  dateTime(prefix: NamespacePrefix, name: string, value: DateTime | undefined): this {
    return this.text(prefix, name, value === undefined ? undefined : formatDateTime(value));
  }

  dtstart(value: DateTime | undefined): this {
    return this.optEl('xcal', 'dtstart', value, (w, v) => w.dateTime('xcal', 'date-time', v));
  }

  durationValue(prefix: NamespacePrefix, name: string, value: Duration | undefined): this {
    return this.text(prefix, name, value === undefined ? undefined : formatDuration(value));
  }

  durationProp(prefix: NamespacePrefix, name: string, value: Duration | undefined): this {
    return this.optEl(prefix, name, value, (w, v) => w.durationValue('xcal', 'duration', v));
  }

  fragment(xml: string): this {
    this.builder.import(create(xml));
    return this;
  }
}

export function xmlbuilderPayloadDocument(): PayloadDocument {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(NS.oadr, 'oadr:oadrPayload');
  for (const prefix of ['ei', 'pyld', 'emix', 'power', 'scale', 'strm', 'xcal', 'gml'] as const) root.att(XMLNS, `xmlns:${prefix}`, NS[prefix]);
  const signedObject = root.ele(NS.oadr, 'oadr:oadrSignedObject').att(NS.oadr, 'oadr:Id', 'oadrSignedObject');
  return { signedObject: new XmlbuilderElementWriter(signedObject), end: () => root.end({ prettyPrint: false }) };
}
