import { create } from 'xmlbuilder2';
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
