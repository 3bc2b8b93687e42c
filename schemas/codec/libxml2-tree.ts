import type { XmlElement } from 'libxml2-wasm';
import { XmlNamedNodeStruct, XmlNodeStruct, XmlNsStruct, XmlTreeCommonStruct, xmlNodeGetContent } from 'libxml2-wasm/lib/libxml2.mjs';
import type { XmlAttr, XmlNode } from './xml-node.js';

// Reads a parsed element into our namespace-resolved tree straight from libxml2's node structs,
// through the same accessors libxml2-wasm's node classes use, without building a wrapper object
// per node: for a 96-interval report the wrappers were half of the whole parse. Same tree as the
// wrapper walk, proved on every vector and on generated documents (schemas/test/libxml2-tree.test.ts).

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** Our tree of `element`, or undefined when libxml2-wasm does not expose the node's pointer as expected. */
export function readElementTree(element: XmlElement): XmlNode | undefined {
  const pointer = (element as unknown as { _nodePtr?: unknown })._nodePtr;
  if (typeof pointer !== 'number' || pointer === 0 || XmlTreeCommonStruct.type(pointer) !== ELEMENT_NODE) return undefined;
  // A document declares few namespaces and every node points at one of them: decode each once.
  const hrefs = new Map<number, string>();
  const namespaceOf = (node: number): string => {
    const ns = XmlNamedNodeStruct.namespace(node);
    if (ns === 0) return '';
    let href = hrefs.get(ns);
    if (href === undefined) hrefs.set(ns, (href = XmlNsStruct.href(ns)));
    return href;
  };
  // Depth is bounded by libxml2's own limit of 256 (no XML_PARSE_HUGE).
  const read = (node: number): XmlNode => {
    const children: XmlNode[] = [];
    let text = '';
    for (let child = XmlTreeCommonStruct.children(node); child !== 0; child = XmlTreeCommonStruct.next(child)) {
      const type = XmlTreeCommonStruct.type(child);
      if (type === ELEMENT_NODE) children.push(read(child));
      else if (type === TEXT_NODE || type === CDATA_SECTION_NODE) text += xmlNodeGetContent(child);
    }
    const attrs: XmlAttr[] = [];
    for (let attr = XmlNodeStruct.properties(node); attr !== 0; attr = XmlTreeCommonStruct.next(attr)) {
      attrs.push({ ns: namespaceOf(attr), name: XmlTreeCommonStruct.name_(attr), value: xmlNodeGetContent(attr) });
    }
    return { ns: namespaceOf(node), name: XmlTreeCommonStruct.name_(node), attrs, children, text, line: XmlNodeStruct.line(node) };
  };
  return read(pointer);
}
