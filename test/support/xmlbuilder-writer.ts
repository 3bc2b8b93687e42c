import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import { NS, type NamespacePrefix } from '../../schemas/codec/namespaces.js';
import { BaseElementWriter, formatNumber, type ElementWriter, type PayloadDocument } from '../../schemas/codec/xml-writer.js';

// The payload writer FlexBridge used until 2026-12 (xmlbuilder2's tree), kept as the reference
// the string writer must match byte for byte.
const XMLNS = 'http://www.w3.org/2000/xmlns/';

class XmlbuilderElementWriter extends BaseElementWriter {
  constructor(readonly builder: XMLBuilder) {
    super();
  }

  el(prefix: NamespacePrefix, name: string, fill?: (w: ElementWriter) => void): this {
    const child = this.builder.ele(NS[prefix], `${prefix}:${name}`);
    if (fill) fill(new XmlbuilderElementWriter(child));
    return this;
  }

  text(prefix: NamespacePrefix, name: string, value: string | number | boolean | undefined): this {
    if (value === undefined) return this;
    this.builder.ele(NS[prefix], `${prefix}:${name}`).txt(typeof value === 'number' ? formatNumber(value) : String(value));
    return this;
  }

  attr(prefix: NamespacePrefix, name: string, value: string): this {
    this.builder.att(NS[prefix], `${prefix}:${name}`, value);
    return this;
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
