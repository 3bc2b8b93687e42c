import { OADR_MESSAGE_TYPES, OadrSchemaError, OadrValueError, parsePayload, serializePayload, validatePayloadText } from '../index.js';
import type { OadrDistributeEvent } from '../index.js';
import { loadVectors } from './vectors.js';

const vectors = loadVectors();
const foreign = loadVectors('foreign');

describe('round-trip vectors', () => {
  it('cover every one of the 23 OpenADR 2.0b payloads', () => {
    const covered = new Set(vectors.map((v) => v.type));
    expect(OADR_MESSAGE_TYPES.filter((t) => !covered.has(t))).toEqual([]);
    expect(OADR_MESSAGE_TYPES).toHaveLength(23);
  });

  it.each([...vectors, ...foreign].map((v) => [v.name, v] as const))('%s: XML → object → XML is XSD-valid and object-equal', (_name, vector) => {
    const first = parsePayload(vector.xml);
    expect(first.message.type).toBe(vector.type);
    const again = serializePayload(first.message);
    expect(() => validatePayloadText(again)).not.toThrow();
    expect(parsePayload(again).message).toEqual(first.message);
  });

  it.each(foreign.filter((v) => !v.name.includes('inline')).map((v) => [v.name, v] as const))('%s decodes to the same object as the conventional-prefix vector', (name, vector) => {
    const base = vectors.find((v) => name.startsWith(`foreign/${v.name.slice(0, -4)}.`));
    expect(base).toBeDefined();
    expect(parsePayload(vector.xml).message).toEqual(parsePayload(base!.xml).message);
  });
});

describe('reading', () => {
  it('reads the specification-style distribute event into exact values', () => {
    const vector = vectors.find((v) => v.name === 'oadrDistributeEvent.xml')!;
    const message = parsePayload(vector.xml).message as OadrDistributeEvent;
    expect(message.events).toHaveLength(2);
    const [first, second] = message.events;
    expect(first!.descriptor).toMatchObject({ eventId: 'event-2026-11-24-a', modificationNumber: 2, priority: 1, eventStatus: 'far' });
    expect(first!.activePeriod.dtstart.epochMs).toBe(Date.UTC(2026, 10, 24, 7, 0, 0));
    expect(first!.activePeriod.duration).toMatchObject({ hours: 12, minutes: 0 });
    expect(first!.activePeriod.startAfter).toMatchObject({ minutes: 5 });
    expect(first!.activePeriod.notification).toMatchObject({ days: 1 });
    expect(first!.signals.map((s) => s.signalName)).toEqual(['SIMPLE', 'LOAD_DISPATCH']);
    expect(first!.signals[0]!.intervals.map((i) => i.payloads[0])).toEqual([{ kind: 'float', value: 1 }, { kind: 'float', value: 2 }, { kind: 'float', value: 1 }]);
    expect(first!.signals[1]!.itemBase).toMatchObject({ kind: 'powerReal', itemUnits: 'W', powerAttributes: { hertz: 50, voltage: 230, ac: true } });
    expect(first!.baseline).toMatchObject({ baselineId: 'baseline-high-21-of-35', resourceIds: ['meter-17'] });
    expect(first!.target).toEqual({ meterAssets: ['meter-17'], groupIds: ['uvam-north'], venIds: ['2ad5b7c81e4f0a9d3c6b', '9f0e1d2c3b4a59687766'], partyIds: ['retailer-1'] });
    expect(second!.descriptor.createdDateTime).toEqual({ epochMs: Date.UTC(2026, 10, 23, 15, 30, 0, 250), microsOfMs: 0 });
    expect(second!.responseRequired).toBe('never');
    expect(second!.signals[0]!.itemBase).toEqual({ kind: 'currencyPerKWh', itemDescription: 'currencyPerKWh', itemUnits: 'EUR', siScaleCode: 'none' });
  });

  it('reads a peer that declares every namespace inline with its own prefixes, six fractional digits and no zone', () => {
    const vector = foreign.find((v) => v.name.includes('inline'))!;
    const message = parsePayload(vector.xml).message as OadrDistributeEvent;
    const event = message.events[0]!;
    expect(event.descriptor.createdDateTime).toEqual({ epochMs: Date.UTC(2026, 10, 23, 16, 0, 0, 123), microsOfMs: 456 });
    // A date-time without a zone is read as UTC (2.0b date-times are UTC on the wire).
    expect(event.activePeriod.dtstart.epochMs).toBe(Date.UTC(2026, 10, 24, 8));
    expect(event.signals[0]).toMatchObject({ signalName: 'simple', currentValue: 0 });
    expect(serializePayload(message)).toContain('2026-11-23T16:00:00.123456Z');
  });

  it.each([...vectors, ...foreign].map((v) => [v.name, v] as const))('%s reads the same with a processing instruction and a comment between every pair of tags', (_name, vector) => {
    // libxml2-wasm's PI node had no sibling pointers: a walk stopped there and lost the rest.
    const laden = vector.xml.replace(/>(\s*)</g, (_m, space: string) => `><?note between tags?><!-- c -->${space}<`);
    expect(laden.split('<?note').length).toBeGreaterThan(5);
    expect(parsePayload(laden).message).toEqual(parsePayload(vector.xml).message);
  });

  it('refuses a payload that breaks the schema with the violation and its line', () => {
    const vector = vectors.find((v) => v.name === 'oadrPoll.xml')!;
    const broken = vector.xml.replace('<ei:venID>', '<ei:venId>').replace('</ei:venID>', '</ei:venId>');
    let error: unknown;
    try { parsePayload(broken); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(OadrSchemaError);
    expect((error as OadrSchemaError).responseCode).toBe(454);
    expect((error as OadrSchemaError).violations[0]!.message).toMatch(/venId/);
    expect((error as OadrSchemaError).violations[0]!.line).toBe(5);
  });

  it('without validation still refuses a value it cannot represent, naming the path', () => {
    const vector = vectors.find((v) => v.name === 'oadrDistributeEvent.xml')!;
    const broken = vector.xml.replace('<ei:modificationNumber>2</ei:modificationNumber>', '<ei:modificationNumber>two</ei:modificationNumber>');
    expect(() => parsePayload(broken, { validate: false })).toThrow(OadrValueError);
    expect(() => parsePayload(broken, { validate: false })).toThrow(/eventDescriptor\/ei:modificationNumber: not an unsigned int/);
  });

  it('without validation accepts an unsigned message placed directly under oadrPayload', () => {
    const xml = '<oadrPayload xmlns="http://openadr.org/oadr-2.0b/2012/07"><oadrPoll><venID xmlns="http://docs.oasis-open.org/ns/energyinterop/201110">v1</venID></oadrPoll></oadrPayload>';
    expect(parsePayload(xml, { validate: false }).message).toEqual({ type: 'oadrPoll', venId: 'v1' });
    expect(() => parsePayload(xml)).toThrow(OadrSchemaError);
  });
});

describe('writing', () => {
  it('writes every message our model can express as XSD-valid XML', () => {
    for (const vector of vectors) {
      const xml = serializePayload(parsePayload(vector.xml).message, { validate: true });
      expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?><oadr:oadrPayload')).toBe(true);
      expect(xml).toContain('oadr:Id="oadrSignedObject"');
    }
  });

  it('escapes text that looks like markup', () => {
    const xml = serializePayload({ type: 'oadrResponse', response: { responseCode: 454, responseDescription: 'bad <value> & "quote"', requestId: 'r' } }, { validate: true });
    expect(xml).toContain('bad &lt;value&gt; &amp; "quote"');
    expect(parsePayload(xml).message).toMatchObject({ response: { responseDescription: 'bad <value> & "quote"' } });
  });

  it('refuses to emit a payload that the schema rejects when asked to validate', () => {
    expect(() => serializePayload({ type: 'oadrResponse', response: { responseCode: 2000, requestId: 'r' } }, { validate: true })).toThrow(OadrSchemaError);
  });
});
