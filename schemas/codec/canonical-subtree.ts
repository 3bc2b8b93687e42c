import { XmlC14NMode, XmlElement, type XmlDocument } from 'libxml2-wasm';
import './libxml2-siblings.js';

// Inclusive C14N 1.0 of element subtrees (a signature's references) without libxml2-wasm's
// per-node JavaScript callback: libxml2 canonicalises the whole document once, in C, and each
// subtree is cut out of that text. In the whole-document form every descendant of an element is
// written exactly as in the element's own document subset (each renders the namespace
// declarations that differ from its nearest rendered ancestor, which lies inside the subtree
// either way); only the element's own start tag differs. As the apex of a subset it declares
// every namespace in scope (never xmlns="") and, in C14N 1.0, inherits the xml:* attributes of
// its ancestors that it does not carry. Both are read off the ancestors' start tags in the same
// text. Proved byte-identical to libxml2's node-set canonicalisation on every element of the
// vectors, the hostile corpus and generated namespace-heavy documents
// (schemas/test/canonical-subtree.test.ts).

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
// Canonical text: attribute values in double quotes holding no '"' or '<'; one space before each
// attribute; no empty-element tags, no comments (C14N without comments), no CDATA.
const START_TAG = /<([^\s>/]+)((?: [^\s=]+="[^"]*")*)>/y;
const ATTRIBUTE = / ([^\s=]+)="([^"]*)"/g;

interface PathNode {
  readonly children: Map<number, PathNode>;
  /** Indexes of the targets this element is. */
  readonly targets: number[];
}

interface Frame {
  readonly node: PathNode;
  readonly name: string;
  /** Prefix → namespace URI as written (escaped) in the canonical text; '' is the default namespace. */
  readonly namespaces: ReadonlyMap<string, string>;
  /** xml:* attributes of this element and its ancestors, the nearest winning: name → escaped value. */
  readonly xmlAttributes: ReadonlyMap<string, string>;
  readonly startTagEnd: number;
  apexTag: string | undefined;
  elementChildren: number;
}

/**
 * The inclusive C14N 1.0 form of each target element's subtree, as libxml2 writes it for a node
 * set holding just that subtree; undefined for a target this way cannot place (the caller then
 * asks libxml2 with the node set). One whole-document pass serves all targets.
 */
export function inclusiveCanonicalSubtrees(doc: XmlDocument, targets: readonly XmlElement[]): (string | undefined)[] {
  const results: (string | undefined)[] = targets.map(() => undefined);
  if (targets.length === 0) return results;
  let text: string;
  try {
    text = doc.canonicalizeToString({ mode: XmlC14NMode.XML_C14N_1_0 });
  } catch {
    return results; // e.g. a relative namespace URI anywhere in the document: the node-set way decides
  }
  const root: PathNode = { children: new Map(), targets: [] };
  const names: string[] = [];
  targets.forEach((target, index) => {
    let node = root;
    for (const step of elementPath(target)) {
      let next = node.children.get(step);
      if (!next) node.children.set(step, (next = { children: new Map(), targets: [] }));
      node = next;
    }
    node.targets.push(index);
    names[index] = target.prefix ? `${target.prefix}:${target.name}` : target.name;
  });

  const stack: Frame[] = [];
  let skipped = 0; // depth inside an element that is on no target's path
  let seenRoot = false;
  for (let pos = 0; ;) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return results;
      pos = end + 2;
    } else if (next === 0x2f /* / */) {
      const gt = text.indexOf('>', lt);
      if (gt < 0) return results;
      pos = gt + 1;
      if (skipped > 0) {
        skipped--;
        continue;
      }
      const frame = stack.pop();
      if (!frame || text.slice(lt + 2, gt) !== frame.name) return targets.map(() => undefined);
      for (const index of frame.node.targets) {
        if (frame.name === names[index] && frame.apexTag !== undefined) results[index] = frame.apexTag + text.slice(frame.startTagEnd, pos);
      }
    } else {
      START_TAG.lastIndex = lt;
      const tag = START_TAG.exec(text);
      if (!tag) return targets.map(() => undefined);
      pos = START_TAG.lastIndex;
      if (skipped > 0) {
        skipped++;
        continue;
      }
      const parent = stack[stack.length - 1];
      let node: PathNode | undefined;
      if (parent) node = parent.node.children.get(parent.elementChildren++);
      else if (!seenRoot) node = root;
      seenRoot = true;
      if (!node) {
        skipped = 1;
        continue;
      }
      stack.push(openFrame(node, tag[1]!, tag[2]!, parent, pos));
    }
  }
  return stack.length === 0 && skipped === 0 ? results : targets.map(() => undefined);
}

/** The element's position: the index among its parent's element children, from the root down. */
function elementPath(element: XmlElement): number[] {
  const path: number[] = [];
  for (let e: XmlElement = element, parent = e.parent; parent; e = parent, parent = e.parent) {
    let index = 0;
    for (let sibling = e.prev; sibling; sibling = sibling.prev) if (sibling instanceof XmlElement) index++;
    path.push(index);
  }
  return path.reverse();
}

function openFrame(node: PathNode, name: string, attributeText: string, parent: Frame | undefined, startTagEnd: number): Frame {
  let namespaces = parent?.namespaces ?? new Map<string, string>();
  let xmlAttributes = parent?.xmlAttributes ?? new Map<string, string>();
  const attributes: [string, string][] = [];
  ATTRIBUTE.lastIndex = 0;
  for (let a = ATTRIBUTE.exec(attributeText); a; a = ATTRIBUTE.exec(attributeText)) {
    const attributeName = a[1]!;
    const value = a[2]!;
    if (attributeName === 'xmlns' || attributeName.startsWith('xmlns:')) {
      if (namespaces === parent?.namespaces) namespaces = new Map(namespaces);
      (namespaces as Map<string, string>).set(attributeName === 'xmlns' ? '' : attributeName.slice(6), value);
    } else {
      attributes.push([attributeName, value]);
      if (attributeName.startsWith('xml:')) {
        if (xmlAttributes === parent?.xmlAttributes) xmlAttributes = new Map(xmlAttributes);
        (xmlAttributes as Map<string, string>).set(attributeName, value);
      }
    }
  }
  const apexTag = node.targets.length > 0 ? apexStartTag(name, namespaces, attributes, parent?.xmlAttributes) : undefined;
  return { node, name, namespaces, xmlAttributes, startTagEnd, apexTag, elementChildren: 0 };
}

/** The start tag of a subset's apex: every namespace in scope, and the xml:* attributes it inherits. */
function apexStartTag(name: string, namespaces: ReadonlyMap<string, string>, own: [string, string][], inherited: ReadonlyMap<string, string> | undefined): string {
  const declared = [...namespaces].filter(([, uri]) => uri !== '').sort(([a], [b]) => compareCodePoints(a, b));
  let attributes = own;
  const missing = inherited ? [...inherited].filter(([attributeName]) => !own.some(([n]) => n === attributeName)) : [];
  if (missing.length > 0) {
    const key = (attributeName: string): [string, string] => {
      const colon = attributeName.indexOf(':');
      if (colon < 0) return ['', attributeName];
      const prefix = attributeName.slice(0, colon);
      return [prefix === 'xml' ? XML_NAMESPACE : unescapeAttribute(namespaces.get(prefix) ?? ''), attributeName.slice(colon + 1)];
    };
    attributes = [...own, ...missing].sort(([a], [b]) => {
      const [nsA, localA] = key(a);
      const [nsB, localB] = key(b);
      return compareCodePoints(nsA, nsB) || compareCodePoints(localA, localB);
    });
  }
  let tag = `<${name}`;
  for (const [prefix, uri] of declared) tag += prefix === '' ? ` xmlns="${uri}"` : ` xmlns:${prefix}="${uri}"`;
  for (const [attributeName, value] of attributes) tag += ` ${attributeName}="${value}"`;
  return `${tag}>`;
}

/** libxml2 orders by UTF-8 bytes, which is code point order; JavaScript compares UTF-16 units. */
function compareCodePoints(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|lt|quot|#x9|#xA|#xD);/g, (_m, entity: string) => ({ amp: '&', lt: '<', quot: '"', '#x9': '\t', '#xA': '\n', '#xD': '\r' })[entity]!);
}
