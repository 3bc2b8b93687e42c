import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlDocument } from 'libxml2-wasm';
import { signPayload } from '../index.js';
import { readElementTree } from '../codec/libxml2-tree.js';
import { PARSE_OPTIONS, toNode } from '../codec/xml-document.js';
import { wellFormedHostileDocuments } from './hostile-documents.js';
import { loadVectors } from './vectors.js';

// The codec reads libxml2's tree from its structs instead of through a wrapper per node; it must
// give exactly the tree the wrappers give, for anything libxml2 accepts.
const here = dirname(fileURLToPath(import.meta.url));
const rsa = { privateKeyPem: readFileSync(join(here, 'fixtures', 'ven-rsa.key'), 'utf8'), certificatePem: readFileSync(join(here, 'fixtures', 'ven-rsa.crt'), 'utf8') };

function bothWays(xml: string): void {
  const doc = XmlDocument.fromString(xml, { option: PARSE_OPTIONS });
  try {
    const fromStructs = readElementTree(doc.root);
    expect(fromStructs).toBeDefined();
    expect(fromStructs).toEqual(toNode(doc.root));
  } finally {
    doc.dispose();
  }
}

describe('reading libxml2 trees from the structs', () => {
  it.each([...loadVectors(), ...loadVectors('foreign')].map((v) => [v.name, v.xml] as const))('gives the wrappers\' tree for %s, as sent, signed, and with PIs and comments between tags', (_name, xml) => {
    bothWays(xml);
    bothWays(signPayload(xml, rsa, { now: { epochMs: Date.UTC(2026, 10, 24), microsOfMs: 0 }, nonce: 'n' }));
    bothWays(xml.replace(/>(\s*)</g, (_m, space: string) => `><?p x?><!-- c -->${space}<`));
  });

  it('gives the wrappers\' tree for every hostile document libxml2 parses', () => {
    const documents = wellFormedHostileDocuments();
    for (const { text } of documents) bothWays(text);
    expect(documents.length).toBeGreaterThanOrEqual(10);
  });

  it.each([
    ['CDATA, character references and entities', '<r a="&amp;&#x9;&lt;"><t><![CDATA[<x>&]]>&#xD;&amp;&#128512;</t></r>'],
    ['namespaced and xml:* attributes, default namespace undeclared', '<r xmlns="urn:d" xmlns:p="urn:p" xml:lang="en" p:a="1" b="2"><t xmlns="" p:c="3"/></r>'],
    ['mixed content around elements', '<r>one<a/>two<!-- c -->three<?p?><b>four</b>five</r>'],
    ['non-ASCII names and text', '<r\u00E9 xmlns:\u00E4="urn:x"><\u00E4:t \u00E4:\u00F6="\u{1F600}">\u00FC\u{1F600}</\u00E4:t></r\u00E9>'],
    ['lines', '<r>\n\n<a>\n</a>\n<b/></r>'],
  ])('gives the wrappers\' tree with %s', (_what, xml) => {
    bothWays(xml);
  });
});
