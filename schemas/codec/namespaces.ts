/** The namespaces of the 2.0b schema set, with the prefixes we write (peers may use any). */
export const NS = {
  oadr: 'http://openadr.org/oadr-2.0b/2012/07',
  ei: 'http://docs.oasis-open.org/ns/energyinterop/201110',
  pyld: 'http://docs.oasis-open.org/ns/energyinterop/201110/payloads',
  emix: 'http://docs.oasis-open.org/ns/emix/2011/06',
  power: 'http://docs.oasis-open.org/ns/emix/2011/06/power',
  scale: 'http://docs.oasis-open.org/ns/emix/2011/06/siscale',
  strm: 'urn:ietf:params:xml:ns:icalendar-2.0:stream',
  xcal: 'urn:ietf:params:xml:ns:icalendar-2.0',
  gml: 'http://www.opengis.net/gml/3.2',
  gb: 'http://naesb.org/espi',
  atom: 'http://www.w3.org/2005/Atom',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  dsp: 'http://openadr.org/oadr-2.0b/2012/07/xmldsig-properties',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
} as const;

export type NamespacePrefix = keyof typeof NS;
export type Namespace = (typeof NS)[NamespacePrefix];
