import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlParseError } from 'libxml2-wasm';
import { OadrError, signPayload } from '../index.js';
import { readElementTree } from '../codec/libxml2-tree.js';
import { decodeUntrusted, PARSE_OPTIONS, toNode } from '../codec/xml-document.js';
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
    const dir = join(here, 'hostile');
    let compared = 0;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
      let text: string;
      try {
        text = decodeUntrusted(readFileSync(join(dir, file)), { maxBytes: 64 * 1024 * 1024, maxNamespaceDeclarations: 100_000 });
        XmlDocument.fromString(text, { option: PARSE_OPTIONS }).dispose();
      } catch (error) {
        if (error instanceof OadrError || error instanceof XmlParseError) continue;
        throw error;
      }
      bothWays(text);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(10);
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
