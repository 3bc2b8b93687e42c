import { create } from 'xmlbuilder2';
import { CanonicalFormUnavailable } from '../errors.js';
import type { DateTime, Duration } from '../model/time.js';
import { NS, type NamespacePrefix } from './namespaces.js';
import { formatDateTime, formatDuration } from './time-format.js';

/**
 * The writing helpers every writer shares, built on its four primitives (element, text element,
 * attribute, fragment).
 */
export abstract class BaseElementWriter implements ElementWriter {
  abstract el(prefix: NamespacePrefix, name: string, fill?: (w: ElementWriter) => void): this;
  abstract text(prefix: NamespacePrefix, name: string, value: string | number | boolean | undefined): this;
  abstract attr(prefix: NamespacePrefix, name: string, value: string): this;
  abstract fragment(xml: string): this;

  optEl<T>(prefix: NamespacePrefix, name: string, value: T | undefined, fill: (w: ElementWriter, value: T) => void): this {
    if (value !== undefined) this.el(prefix, name, (w) => fill(w, value));
    return this;
  }

  texts(prefix: NamespacePrefix, name: string, values: readonly string[] | undefined): this {
    for (const value of values ?? []) this.text(prefix, name, value);
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
}

// Escapes as xmlbuilder2 (the serialiser this writer replaced) does — text & < >, attribute values
// & < > " — so the bytes are the same (schemas/test/writer-identity.test.ts, on the vectors and on
// random strings), with one deliberate difference: xmlbuilder2 left `&name;` in text unescaped,
// which turned a requestID such as "a&b;" into XML no parser accepts; here every & is escaped.
const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeText = (value: string): string => (/[&<>]/.test(value) ? value.replace(/[&<>]/g, (c) => TEXT_ESCAPES[c]!) : value);
const escapeAttr = (value: string): string => (/[&<>"]/.test(value) ? value.replace(/[&<>"]/g, (c) => ATTR_ESCAPES[c]!) : value);

/** What the message codecs write with; one implementation writes strings front to back. */
export interface ElementWriter {
  el(prefix: NamespacePrefix, name: string, fill?: (w: ElementWriter) => void): this;
  /** Writes the element only when `value` is defined. */
  optEl<T>(prefix: NamespacePrefix, name: string, value: T | undefined, fill: (w: ElementWriter, value: T) => void): this;
  text(prefix: NamespacePrefix, name: string, value: string | number | boolean | undefined): this;
  texts(prefix: NamespacePrefix, name: string, values: readonly string[] | undefined): this;
  attr(prefix: NamespacePrefix, name: string, value: string): this;
  dateTime(prefix: NamespacePrefix, name: string, value: DateTime | undefined): this;
  dtstart(value: DateTime | undefined): this;
  durationValue(prefix: NamespacePrefix, name: string, value: Duration | undefined): this;
  /** An element of xcal:DurationPropType: wraps xcal:duration. */
  durationProp(prefix: NamespacePrefix, name: string, value: Duration | undefined): this;
  /** Inserts an opaque fragment (already serialized XML with its own namespace declarations). */
  fragment(xml: string): this;
}

/** A payload being written: the writer of its oadrSignedObject, and the finished text. */
export interface PayloadDocument {
  readonly signedObject: ElementWriter;
  end(): string;
}

/**
 * Writes elements under one parent with the fixed prefixes of NS (every namespace is declared once
 * on the payload's root); undefined values are skipped. It appends strings to one buffer: a
 * payload is written front to back, so no tree is built (xmlbuilder2's tree and per-call namespace
 * bookkeeping were a fifth of a plain poll's CPU).
 */
class StringElementWriter extends BaseElementWriter {
  /** The start tag is still open: attributes may follow, and no content has been written. */
  private startOpen = true;
  /** Prefixes declared on this element or its ancestors. */
  private declared: ReadonlySet<string>;

  constructor(private readonly out: string[], declared: ReadonlySet<string>) {
    super();
    this.declared = declared;
  }

  /** Declares a prefix not yet in scope on the open start tag, as xmlbuilder2 did (xsi:nil is the one case). */
  private declare(prefix: NamespacePrefix): void {
    if (this.declared.has(prefix)) return;
    this.out.push(` xmlns:${prefix}="${NS[prefix]}"`);
    this.declared = new Set([...this.declared, prefix]);
  }

  private content(): void {
    if (this.startOpen) {
      this.out.push('>');
      this.startOpen = false;
    }
  }

  /** Ends this writer's element: `<x/>` when it has no content, as xmlbuilder2 writes it. */
  close(qualifiedName: string): void {
    this.out.push(this.startOpen ? '/>' : `</${qualifiedName}>`);
    this.startOpen = false;
  }

  el(prefix: NamespacePrefix, name: string, fill?: (w: ElementWriter) => void): this {
    this.content();
    const qualified = `${prefix}:${name}`;
    this.out.push(`<${qualified}`);
    const child = new StringElementWriter(this.out, this.declared);
    child.declare(prefix);
    if (fill) fill(child);
    child.close(qualified);
    return this;
  }

  text(prefix: NamespacePrefix, name: string, value: string | number | boolean | undefined): this {
    if (value === undefined) return this;
    this.content();
    const qualified = `${prefix}:${name}`;
    this.out.push(`<${qualified}>${escapeText(typeof value === 'number' ? formatNumber(value) : String(value))}</${qualified}>`);
    return this;
  }

  attr(prefix: NamespacePrefix, name: string, value: string): this {
    if (!this.startOpen) throw new Error(`attribute ${prefix}:${name} written after the element's content`);
    this.declare(prefix);
    this.out.push(` ${prefix}:${name}="${escapeAttr(value)}"`);
    return this;
  }

  /** Inserts an opaque fragment (already serialized XML with its own namespace declarations), re-serialised. */
  fragment(xml: string): this {
    this.content();
    this.out.push(create(xml).end({ headless: true, prettyPrint: false }));
    return this;
  }
}

// Characters XML 1.0 allows; a value with any other is declined (the text would not parse at all).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const checked = (value: string): string => {
  if (NOT_XML_CHAR.test(value)) throw new CanonicalFormUnavailable('a character XML 1.0 does not allow');
  return value;
};
// What a parser makes of the string writer's text, then C14N's escaping of it: line ends become
// \n, so no &#xD; is ever needed; & < > escaped in text.
export const canonicalText = (value: string): string => escapeText(checked(value).replace(/\r\n?/g, '\n'));
// Attribute values are also normalised by the parser (each tab and line end a space); C14N then
// escapes & < " (and would escape tab and line ends, none of which survive the normalisation).
const canonicalAttr = (value: string): string => checked(value).replace(/\r\n?/g, '\n').replace(/[\t\n]/g, ' ').replace(/[&<"]/g, (c) => ATTR_ESCAPES[c]!);

/**
 * Writes what StringElementWriter writes in its inclusive Canonical XML 1.0 form, as libxml2
 * canonicalises the oadrSignedObject subtree of that text: the apex renders every namespace in
 * scope, descendants only those declared on them; namespace declarations sorted by prefix, then
 * attributes by namespace URI and local name; empty elements as start and end tag. So our own
 * answers are signed without parsing them back (schemas/test/canonical-writer.test.ts compares it
 * with libxml2 on the vectors and on random values).
 */
class CanonicalElementWriter extends BaseElementWriter {
  private startOpen = true;
  private declared: ReadonlySet<string>;
  private readonly namespaces: string[] = [];
  private readonly attributes: { uri: string; local: string; text: string }[] = [];

  constructor(private readonly out: string[], declared: ReadonlySet<string>, private readonly qualified: string) {
    super();
    this.declared = declared;
  }

  declare(prefix: NamespacePrefix): void {
    if (this.declared.has(prefix)) return;
    this.namespaces.push(prefix);
    this.declared = new Set([...this.declared, prefix]);
  }

  private content(): void {
    if (!this.startOpen) return;
    this.startOpen = false;
    const ns = this.namespaces.sort().map((p) => ` xmlns:${p}="${NS[p as NamespacePrefix]}"`).join('');
    const attrs = this.attributes.sort((a, b) => (a.uri === b.uri ? (a.local < b.local ? -1 : a.local > b.local ? 1 : 0) : a.uri < b.uri ? -1 : 1)).map((a) => a.text).join('');
    this.out.push(`<${this.qualified}${ns}${attrs}>`);
  }

  close(): void {
    this.content();
    this.out.push(`</${this.qualified}>`);
  }

  el(prefix: NamespacePrefix, name: string, fill?: (w: ElementWriter) => void): this {
    this.content();
    const child = new CanonicalElementWriter(this.out, this.declared, `${prefix}:${name}`);
    child.declare(prefix);
    if (fill) fill(child);
    child.close();
    return this;
  }

  text(prefix: NamespacePrefix, name: string, value: string | number | boolean | undefined): this {
    if (value === undefined) return this;
    this.content();
    const qualified = `${prefix}:${name}`;
    this.out.push(`<${qualified}>${canonicalText(typeof value === 'number' ? formatNumber(value) : String(value))}</${qualified}>`);
    return this;
  }

  attr(prefix: NamespacePrefix, name: string, value: string): this {
    if (!this.startOpen) throw new Error(`attribute ${prefix}:${name} written after the element's content`);
    this.declare(prefix);
    this.attributes.push({ uri: NS[prefix], local: name, text: ` ${prefix}:${name}="${canonicalAttr(value)}"` });
    return this;
  }

  fragment(): this {
    throw new CanonicalFormUnavailable('an opaque fragment');
  }
}

/** The canonical (inclusive C14N 1.0) oadrSignedObject of a payload createPayloadDocument starts; `end()` returns it. */
export function createCanonicalSignedObject(): PayloadDocument {
  const out: string[] = [];
  // The apex renders every namespace the payload's root declares, and its own Id.
  const signedObject = new CanonicalElementWriter(out, new Set(), 'oadr:oadrSignedObject');
  for (const prefix of ROOT_DECLARED) signedObject.declare(prefix as NamespacePrefix);
  signedObject.attr('oadr', 'Id', 'oadrSignedObject');
  return {
    signedObject,
    end: () => {
      signedObject.close();
      return out.join('');
    },
  };
}

/** xs:float/xs:double lexical form. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'INF';
  if (value === -Infinity) return '-INF';
  return String(value);
}

const ROOT_PREFIXES = ['ei', 'pyld', 'emix', 'power', 'scale', 'strm', 'xcal', 'gml'] as const;
const ROOT_DECLARED: ReadonlySet<string> = new Set(['oadr', ...ROOT_PREFIXES]);
const PAYLOAD_START = '<?xml version="1.0" encoding="UTF-8"?>' +
  `<oadr:oadrPayload xmlns:oadr="${NS.oadr}"${ROOT_PREFIXES.map((p) => ` xmlns:${p}="${NS[p]}"`).join('')}>` +
  '<oadr:oadrSignedObject oadr:Id="oadrSignedObject"';

/** Starts an oadrPayload document with every 2.0b namespace declared once on the root; `end()` returns its text. */
export function createPayloadDocument(): PayloadDocument {
  const out: string[] = [PAYLOAD_START];
  const signedObject = new StringElementWriter(out, ROOT_DECLARED);
  return {
    signedObject,
    end: () => {
      signedObject.close('oadr:oadrSignedObject');
      out.push('</oadr:oadrPayload>');
      return out.join('');
    },
  };
}

/** The namespaces in scope inside a payload's root, for the canonical forms of its signature's parts. */
export const PAYLOAD_NAMESPACES: readonly NamespacePrefix[] = [...ROOT_DECLARED] as NamespacePrefix[];
