import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlParseError } from 'libxml2-wasm';
import { OadrError } from '../index.js';
import { decodeUntrusted, PARSE_OPTIONS } from '../codec/xml-document.js';

/**
 * The documents of the hostile corpus that get past the text checks (no DTD, UTF-8, no size cap
 * here) and that libxml2 parses: what the canonicaliser and the tree reader may be handed.
 * attribute-flood, namespace-flood, no-namespace, wrong-root, schema-invalid, … are among them.
 */
export function wellFormedHostileDocuments(): { file: string; text: string }[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'hostile');
  const documents: { file: string; text: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.xml')).sort()) {
    try {
      const text = decodeUntrusted(readFileSync(join(dir, file)), { maxBytes: 64 * 1024 * 1024, maxNamespaceDeclarations: 100_000 });
      XmlDocument.fromString(text, { option: PARSE_OPTIONS }).dispose();
      documents.push({ file, text });
    } catch (error) {
      if (!(error instanceof OadrError || error instanceof XmlParseError)) throw error;
    }
  }
  return documents;
}
