import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { XmlC14NMode, XmlDocument, XmlElement, XmlParseError } from 'libxml2-wasm';
import { signPayload } from '../index.js';
import { inclusiveCanonicalSubtrees } from '../codec/canonical-subtree.js';
import { PARSE_OPTIONS } from '../codec/xml-document.js';
import { wellFormedHostileDocuments } from './hostile-documents.js';
import { loadVectors } from './vectors.js';

// The verifier canonicalises a signature's references by cutting them out of libxml2's
// whole-document canonical form. That is only sound if every cut is byte for byte what libxml2
// writes for the element's own node set, so each test compares them on every element.
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const rsa = { privateKeyPem: readFileSync(join(fixtures, 'ven-rsa.key'), 'utf8'), certificatePem: readFileSync(join(fixtures, 'ven-rsa.crt'), 'utf8') };
const now = { epochMs: Date.UTC(2026, 10, 24, 7), microsOfMs: 0 };

function reference(doc: XmlDocument, element: XmlElement): string | undefined {
  try {
    return doc.canonicalizeToString({ mode: XmlC14NMode.XML_C14N_1_0, nodeSet: new Set([element]) });
  } catch {
    return undefined;
  }
}

/** Compares every element's cut with libxml2's; returns how many cuts were made (not declined). */
function compareEveryElement(xml: string): number {
  const doc = XmlDocument.fromString(xml, { option: PARSE_OPTIONS });
  try {
    const elements = doc.find('//*').filter((n): n is XmlElement => n instanceof XmlElement);
    const cuts = inclusiveCanonicalSubtrees(doc, elements);
    let made = 0;
    elements.forEach((element, i) => {
      const cut = cuts[i];
      if (cut === undefined) return;
      made++;
      const expected = reference(doc, element);
      if (cut !== expected) throw new Error(`element ${i} <${element.name}> line ${element.line}:\n cut      ${JSON.stringify(cut)}\n libxml2  ${JSON.stringify(expected)}\nin ${xml}`);
    });
    return made;
  } finally {
    doc.dispose();
  }
}

function elementCount(xml: string): number {
  const doc = XmlDocument.fromString(xml, { option: PARSE_OPTIONS });
  try {
    return doc.find('//*').length;
  } finally {
    doc.dispose();
  }
}

const vectors = [...loadVectors(), ...loadVectors('foreign')];

describe('canonical subtrees cut from the whole-document form', () => {
  it.each(vectors.map((v) => [v.name, v.xml] as const))('match libxml2 on every element of %s, as sent and signed', (_name, xml) => {
    expect(compareEveryElement(xml)).toBe(elementCount(xml));
    const signed = signPayload(xml, rsa, { now, nonce: 'n' });
    expect(compareEveryElement(signed)).toBe(elementCount(signed));
    const exclusive = signPayload(xml, rsa, { now, nonce: 'n', canonicalization: 'exclusive' });
    expect(compareEveryElement(exclusive)).toBe(elementCount(exclusive));
  });

  it('match libxml2 on every element of each hostile document the verifier would parse', () => {
    const documents = wellFormedHostileDocuments();
    for (const { text } of documents) compareEveryElement(text);
    expect(documents.length).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ['xml:* attributes inherited from ancestors, the nearest winning, sorted among the apex\'s own', '<r xml:lang="en" xml:space="preserve" b:z="1" xmlns:b="urn:b"><m xml:lang="it" a="1"><t b:y="2" c="3"><u/></t></m></r>'],
    ['an apex that carries its own xml:lang', '<r xml:lang="en"><t xml:lang="fr" xml:base="x"/></r>'],
    ['the default namespace undeclared and declared again', '<r xmlns="urn:d"><a xmlns=""><b xmlns="urn:d"><c xmlns=""/></b></a></r>'],
    ['a prefix bound again to another URI, and superfluously to the same one', '<p:r xmlns:p="urn:1"><p:a xmlns:p="urn:2"><p:b xmlns:p="urn:2"/></p:a><p:c xmlns:p="urn:1"/></p:r>'],
    ['prefixes and URIs where UTF-16 order is not code point order', '<r xmlns:\uFB00="urn:f" xmlns:\u{1D4B3}="urn:x" xmlns:a="urn:a" xml:lang="e"><t a:\uFB00="1" a:\u{1D4B3}="2" a:x="3" \u{1D4B3}:k="4"/></r>'],
    ['attributes sorted by namespace URI, not by prefix', '<r xmlns:z="urn:a" xmlns:a="urn:z" xml:space="default"><t a:k="1" z:k="2" k="3"/></r>'],
    ['processing instructions, comments and CDATA in and around the subtree', '<?before x?><!--c--><r><?pi a > b?><t><![CDATA[<&>]]><!-- inside --><?p?></t></r><?after?>'],
    ['escapes in text and attributes: CR, tab, newline, quotes, ampersands, >', '<r a="&#xD;&#x9;&#xA;&quot;&amp;&lt;>\'"><t b="x\ty\nz">&#xD;&amp;&lt;&gt;"\'\r\n</t></r>'],
    ['an element with an Id and many attributes, deep inside', '<r xmlns="urn:r"><a><b><c Id="x" z="1" y="2" x="3" xmlns:q="urn:q" q:w="4"><d/></c></b></a></r>'],
    ['namespaces declared on the root and used only deep down', '<r xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:d"><x><y><a:z b:q="1"/></y></x></r>'],
    ['empty elements and whitespace-only text', '<r>\n  <a/>\n  <b>  </b>\n  <c></c>\n</r>'],
  ])('match libxml2 with %s', (_what, xml) => {
    expect(compareEveryElement(xml)).toBe(elementCount(xml));
  });

  it('decline a document libxml2 will not canonicalise whole (a relative namespace URI), leaving it to the node set', () => {
    const doc = XmlDocument.fromString('<r><t xmlns:a="rel/ative"><u/></t><v/></r>', { option: PARSE_OPTIONS });
    try {
      const elements = doc.find('//*').filter((n): n is XmlElement => n instanceof XmlElement);
      expect(inclusiveCanonicalSubtrees(doc, elements)).toEqual(elements.map(() => undefined));
    } finally {
      doc.dispose();
    }
  });

  it('match libxml2 on every element of generated documents: nested namespaces, xml:* attributes, mixed content', () => {
    const prefixes = ['', 'a', 'b', '\u00E4'] as const;
    const uris = ['urn:x', 'urn:y', 'http://e.example/p?q=1&r=2', 'urn:z'];
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '&', '<', '>', '"', "'", '\t', '\n', '\r', '\u00E9', '\u{1F600}', ']'), maxLength: 6 });
    const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#xD;');
    const escapeAttribute = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;').replace(/\r/g, '&#xD;');
    type Tree = { prefix: string; local: string; declarations: [string, string][]; attributes: [string, string][]; content: (Tree | { text: string } | { comment: string } | { pi: string } | { cdata: string })[] };
    const declaration = fc.tuple(fc.constantFrom(...prefixes), fc.constantFrom(...uris, ''))
      .filter(([p, u]) => p === '' || u !== ''); // xmlns:p="" is not XML 1.0
    const attributeName = fc.constantFrom('id', 'Id', 'a:k', 'b:k', '\u00E4:k', 'xml:lang', 'xml:space', 'xml:base', 'z');
    const leaf = fc.oneof(text.map((t) => ({ text: t })), fc.constantFrom({ comment: ' c ' }, { pi: 'p data > x' }, { cdata: '<&>]' }));
    const treeOf = (depth: number): fc.Arbitrary<Tree> => fc.record({
      prefix: fc.constantFrom(...prefixes),
      local: fc.constantFrom('e', 'f', 'oadrSignedObject'),
      declarations: fc.uniqueArray(declaration, { selector: ([p]) => p, maxLength: 3 }),
      attributes: fc.uniqueArray(fc.tuple(attributeName, text), { selector: ([n]) => n, maxLength: 4 }),
      content: fc.array(depth > 0 ? fc.oneof(treeOf(depth - 1), leaf) : leaf, { maxLength: 4 }),
    });
    const tree = treeOf(4);
    const write = (t: Tree, top: boolean): string => {
      // Every prefix is bound at the top so that any use below is declared.
      const bound: [string, string][] = top ? [...t.declarations.filter(([p]) => p !== 'a' && p !== 'b' && p !== '\u00E4'), ['a', 'urn:top-a'], ['b', 'urn:top-b'], ['\u00E4', 'urn:top-ae']] : t.declarations;
      const name = t.prefix ? `${t.prefix}:${t.local}` : t.local;
      let out = `<${name}`;
      for (const [p, u] of bound) out += p ? ` xmlns:${p}="${escapeAttribute(u)}"` : ` xmlns="${escapeAttribute(u)}"`;
      for (const [n, v] of t.attributes) out += ` ${n}="${escapeAttribute(v)}"`;
      out += '>';
      for (const c of t.content) {
        if ('local' in c) out += write(c, false);
        else if ('text' in c) out += escapeText(c.text);
        else if ('comment' in c) out += `<!--${c.comment}-->`;
        else if ('pi' in c) out += `<?x ${c.pi}?>`;
        else out += `<![CDATA[${c.cdata}]]>`;
      }
      return `${out}</${name}>`;
    };
    fc.assert(fc.property(tree, (t) => {
      const xml = write(t, true);
      // Two attributes of one name in one namespace through different prefixes is not well-formed.
      try {
        XmlDocument.fromString(xml, { option: PARSE_OPTIONS }).dispose();
      } catch (error) {
        if (!(error instanceof XmlParseError)) throw error;
        fc.pre(false);
      }
      expect(compareEveryElement(xml)).toBe(elementCount(xml));
    }), { numRuns: 400 });
  });
});
