import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ParseOption, XmlCData, XmlDocument, XmlElement, XmlLibError, XmlText, XsdValidator, xmlRegisterInputProvider } from 'libxml2-wasm';
import { fsInputProviders } from 'libxml2-wasm/lib/nodejs.mjs';
import { OadrParseError, OadrSchemaError, type SchemaViolation } from '../errors.js';
import './libxml2-siblings.js';
import { readElementTree } from './libxml2-tree.js';
import type { XmlNode } from './xml-node.js';
import { NS } from './namespaces.js';

export type { XmlAttr, XmlNode } from './xml-node.js';

export interface ReadLimits {
  /** Largest accepted document in bytes (UTF-8). */
  readonly maxBytes: number;
  /**
   * Most namespace declarations a document may make (default 128; a 2.0b payload makes about 15).
   * Canonicalisation renders every in-scope namespace at every element, so this bounds its cost.
   */
  readonly maxNamespaceDeclarations?: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxBytes: 4 * 1024 * 1024, maxNamespaceDeclarations: 128 };
// Counted on the text before any parser runs: every real declaration matches (more matches only refuse sooner).
const NAMESPACE_DECLARATION = /\bxmlns(?::[^\s=/>]+)?\s*=/g;

// libxml2 refuses nesting deeper than 256 without XML_PARSE_HUGE, which bounds recursion
// here too; NONET and NO_XXE keep it from reaching out for anything a document names.
export const PARSE_OPTIONS = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_NO_SYS_CATALOG;
const FORBIDDEN = /<!DOCTYPE|<!ENTITY/i;
const DECLARED_ENCODING = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/;
// ignoreBOM keeps a byte-order mark in the text, so that one is allowed and a second is seen.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Turns untrusted bytes into text, refusing anything that is not a plain UTF-8 XML document. */
export function decodeUntrusted(input: string | Uint8Array, limits: ReadLimits = DEFAULT_READ_LIMITS): string {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > limits.maxBytes) throw new OadrParseError('too-large', `payload of ${size} bytes exceeds the limit of ${limits.maxBytes} bytes`);
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = utf8.decode(input);
    } catch (cause) {
      throw new OadrParseError('encoding', 'payload is not valid UTF-8 (2.0b payloads are UTF-8)', { cause });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // One byte-order mark is allowed; a second one is not the start of a document.
  if (text.charCodeAt(0) === 0xfeff) throw new OadrParseError('not-well-formed', 'payload starts with more than one byte-order mark');
  const declared = DECLARED_ENCODING.exec(text)?.[1];
  if (declared && !/^utf-?8$/i.test(declared)) throw new OadrParseError('encoding', `payload declares encoding '${declared}'; only UTF-8 is accepted`);
  if (FORBIDDEN.test(text)) throw new OadrParseError('forbidden-construct', 'payload contains a DTD or entity declaration; OpenADR payloads have none, so it is refused');
  const maxNamespaces = limits.maxNamespaceDeclarations ?? DEFAULT_READ_LIMITS.maxNamespaceDeclarations!;
  let declarations = 0;
  NAMESPACE_DECLARATION.lastIndex = 0;
  while (NAMESPACE_DECLARATION.exec(text)) {
    if (++declarations > maxNamespaces) throw new OadrParseError('too-large', `payload declares more than ${maxNamespaces} namespaces`);
  }
  return text;
}

/** Runs `use` on the libxml2 document of well-formed text, disposing it afterwards. */
export function withLibxml2Document<T>(text: string, use: (doc: XmlDocument) => T): T {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(text, { option: PARSE_OPTIONS });
  } catch (cause) {
    const detail = cause instanceof XmlLibError ? cause.details[0] : undefined;
    throw new OadrParseError('not-well-formed', `payload is not well-formed XML${detail ? ` at line ${detail.line}: ${detail.message.trim()}` : ''}`, { cause });
  }
  try {
    return use(doc);
  } finally {
    doc.dispose();
  }
}

/** Parses well-formed XML with libxml2; optionally validates it against the 2.0b XSD set. */
export function parseXml(text: string, options: { validate: boolean; inspect?: (doc: XmlDocument) => void }): XmlNode {
  return withLibxml2Document(text, (doc) => {
    const root = doc.root;
    if (root.namespaceUri !== NS.oadr || root.name !== 'oadrPayload') {
      throw new OadrParseError('wrong-root', `root element is {${root.namespaceUri}}${root.name}; expected {${NS.oadr}}oadrPayload`);
    }
    if (options.validate) validateDocument(doc);
    // Further checks (the XML signature) run on this same parse, never on a second one.
    options.inspect?.(doc);
    return readElementTree(root) ?? toNode(root);
  });
}

/** The same tree through libxml2-wasm's node wrappers: the fallback, and the reference in tests. */
export function toNode(element: XmlElement): XmlNode {
  const children: XmlNode[] = [];
  let text = '';
  for (let child = element.firstChild; child; child = child.next) {
    if (child instanceof XmlElement) children.push(toNode(child));
    else if (child instanceof XmlText || child instanceof XmlCData) text += child.content;
  }
  const attrs = element.attrs.map((a) => ({ ns: a.namespaceUri, name: a.name, value: a.value }));
  return { ns: element.namespaceUri, name: element.name, attrs, children, text, line: element.line };
}

let validator: XsdValidator | undefined;

/** Directory of the official XSD set fetched by scripts/fetch-xsd.mjs. */
export function schemaDirectory(): string {
  const fromEnv = process.env.FLEXBRIDGE_XSD_DIR;
  if (fromEnv) return fromEnv;
  // Walk up from this module (schemas/codec in source, dist/schemas/codec when built).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'schemas', 'xsd');
    if (existsSync(join(candidate, 'oadr_20b.xsd'))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('OpenADR 2.0b XSD files not found: run `npm run setup` (scripts/fetch-xsd.mjs fetches them from the pinned openleadr package on PyPI)');
}

/** Compiles oadr_20b.xsd with all its imports once per process. */
export function schemaValidator(): XsdValidator {
  if (validator) return validator;
  xmlRegisterInputProvider(fsInputProviders);
  const path = join(schemaDirectory(), 'oadr_20b.xsd');
  // The schema document stays alive with the validator: libxml2's compiled schema points into it.
  const xsd = XmlDocument.fromBuffer(readFileSync(path), { url: pathToFileURL(path).href });
  validator = XsdValidator.fromDoc(xsd);
  return validator;
}

function validateDocument(doc: XmlDocument): void {
  try {
    schemaValidator().validate(doc);
  } catch (cause) {
    if (cause instanceof XmlLibError) {
      const violations: SchemaViolation[] = cause.details.map((d) => ({ message: d.message.trim(), line: d.line, path: (d as { xpath?: string }).xpath ?? '' }));
      throw new OadrSchemaError(violations);
    }
    throw cause;
  }
}

/** Validates a serialized document against the 2.0b XSD set (used on our own output in tests and tools). */
export function validatePayloadText(text: string): void {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(text, { option: PARSE_OPTIONS });
  } catch (cause) {
    throw new OadrParseError('not-well-formed', 'payload is not well-formed XML', { cause });
  }
  try {
    validateDocument(doc);
  } finally {
    doc.dispose();
  }
}
