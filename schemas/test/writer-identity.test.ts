import fc from 'fast-check';
import { parsePayload, serializePayload, type OadrMessage } from '../index.js';
import { serializePayloadWith } from '../codec/payload-codec.js';
import { xmlbuilderPayloadDocument } from '../../test/support/xmlbuilder-writer.js';
import { loadVectors } from './vectors.js';

// The string writer replaced xmlbuilder2 on the hot path: it must write the very same bytes (a
// signature over our payloads, and every peer's parser, saw xmlbuilder2's output until then).
const reference = (message: OadrMessage): string => serializePayloadWith(xmlbuilderPayloadDocument, message);

describe('payload writer', () => {
  it.each([...loadVectors(), ...loadVectors('foreign')].map((v) => [v.name, v] as const))('writes %s byte for byte as xmlbuilder2 did', (_name, vector) => {
    const { message } = parsePayload(vector.xml, { validate: false });
    expect(serializePayload(message)).toBe(reference(message));
  });

  it('escapes any text and attribute value as xmlbuilder2 did (strings without an entity-like `&name;`)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '&', '<', '>', '"', "'", ']', '\t', '\n', '\r', 'é', '😀', '#') });
    fc.assert(fc.property(text, text, text, (requestId, description, venId) => {
      const response: OadrMessage = { type: 'oadrResponse', response: { responseCode: 200, responseDescription: description, requestId }, venId };
      expect(serializePayload(response)).toBe(reference(response));
      const opt: OadrMessage = { type: 'oadrCancelOpt', requestId, optId: description, venId };
      expect(serializePayload(opt)).toBe(reference(opt));
    }), { numRuns: 300 });
  });

  it('escapes every & (where xmlbuilder2 left `&name;` alone and wrote XML no parser reads): text round-trips', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '&', ';', '#', 'x', '1', '<', '"') });
    fc.assert(fc.property(text, text, (requestId, description) => {
      const response: OadrMessage = { type: 'oadrResponse', response: { responseCode: 200, responseDescription: description, requestId }, venId: 'v' };
      expect(parsePayload(serializePayload(response), { validate: false }).message).toMatchObject({ response: { responseDescription: description, requestId } });
    }), { numRuns: 300 });
  });

  it('writes a Green Button feed fragment as xmlbuilder2 did', () => {
    const feed = '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi"><entry><title>a &amp; b &lt; c</title><content><espi:IntervalBlock/></content></entry></feed>';
    const report: OadrMessage = {
      type: 'oadrUpdateReport', requestId: 'r', venId: 'v',
      reports: [{ reportRequestId: 'rr', reportSpecifierId: 's', reportName: 'TELEMETRY_USAGE', createdDateTime: { epochMs: 0, microsOfMs: 0 }, intervals: [{ dtstart: { epochMs: 0, microsOfMs: 0 }, payloads: [{ kind: 'greenButton', feed: { xml: feed } }] }] }],
    } as OadrMessage;
    expect(serializePayload(report)).toBe(reference(report));
  });
});
