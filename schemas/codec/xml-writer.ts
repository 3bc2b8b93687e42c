import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { DateTime, Duration } from '../model/time.js';
import { NS, type NamespacePrefix } from './namespaces.js';
import { formatDateTime, formatDuration } from './time-format.js';

const XMLNS = 'http://www.w3.org/2000/xmlns/';

/** Writes elements under one parent with the fixed prefixes of NS; undefined values are skipped. */
export class ElementWriter {
  constructor(readonly builder: XMLBuilder) {}

  el(prefix: NamespacePrefix, name: string, fill?: (w: ElementWriter) => void): this {
    const child = this.builder.ele(NS[prefix], `${prefix}:${name}`);
    if (fill) fill(new ElementWriter(child));
    return this;
  }

  /** Writes the element only when `value` is defined. */
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

  /** An element of xcal:DurationPropType: wraps xcal:duration. */
  durationProp(prefix: NamespacePrefix, name: string, value: Duration | undefined): this {
    return this.optEl(prefix, name, value, (w, v) => w.durationValue('xcal', 'duration', v));
  }

  /** Inserts an opaque fragment (already serialized XML with its own namespace declarations). */
  fragment(xml: string): this {
    this.builder.import(create(xml));
    return this;
  }
}

/** xs:float/xs:double lexical form. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'INF';
  if (value === -Infinity) return '-INF';
  return String(value);
}

/** Starts an oadrPayload document with every 2.0b namespace declared once on the root. */
export function createPayloadDocument(): { root: XMLBuilder; signedObject: ElementWriter } {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele(NS.oadr, 'oadr:oadrPayload');
  for (const prefix of ['ei', 'pyld', 'emix', 'power', 'scale', 'strm', 'xcal', 'gml'] as const) {
    root.att(XMLNS, `xmlns:${prefix}`, NS[prefix]);
  }
  const signedObject = root.ele(NS.oadr, 'oadr:oadrSignedObject').att(NS.oadr, 'oadr:Id', 'oadrSignedObject');
  return { root, signedObject: new ElementWriter(signedObject) };
}
