/**
 * A parsed element with its namespace resolved: the codec reads this, never prefixes, so a
 * peer may use any prefixes (or default namespaces) it likes.
 */
export interface XmlNode {
  readonly ns: string;
  readonly name: string;
  readonly attrs: readonly XmlAttr[];
  readonly children: readonly XmlNode[];
  /** Concatenated character data directly inside this element. */
  readonly text: string;
  readonly line: number;
}

export interface XmlAttr {
  readonly ns: string;
  readonly name: string;
  readonly value: string;
}
