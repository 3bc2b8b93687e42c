import { XmlTreeNode } from 'libxml2-wasm';
import { XmlProcessingInstructionNode } from 'libxml2-wasm/lib/nodes.mjs';

// libxml2-wasm 0.7.2 gives a processing instruction no next/prev, so a walk over an element's
// children stopped at the first one and silently lost the rest of a well-formed payload (a PI
// before oadrSignedObject made it "missing"). In libxml2 a PI is an ordinary xmlNode with sibling
// pointers, so XmlTreeNode's getters read it unchanged. Imported for this effect by every module
// that walks libxml2 trees; schemas/test/codec.test.ts reads payloads with PIs everywhere.
for (const key of ['next', 'prev'] as const) {
  if (!(key in XmlProcessingInstructionNode.prototype)) {
    Object.defineProperty(XmlProcessingInstructionNode.prototype, key, Object.getOwnPropertyDescriptor(XmlTreeNode.prototype, key)!);
  }
}
