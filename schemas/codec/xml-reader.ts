import { OadrValueError } from '../errors.js';
import type { DateTime, Duration } from '../model/time.js';
import { NS, type NamespacePrefix } from './namespaces.js';
import { parseDateTime, parseDuration } from './time-format.js';
import type { XmlNode } from './xml-document.js';

/**
 * Reads one element of a namespace-resolved tree, keeping the path for error messages.
 * Missing required content is an OadrValueError even when XSD validation was skipped.
 */
export class ElementReader {
  constructor(readonly node: XmlNode, readonly path: string) {}

  all(prefix: NamespacePrefix, name: string): ElementReader[] {
    const ns = NS[prefix];
    const found: ElementReader[] = [];
    for (const child of this.node.children) {
      if (child.ns === ns && child.name === name) found.push(new ElementReader(child, `${this.path}/${prefix}:${name}[${found.length}]`));
    }
    return found;
  }

  opt(prefix: NamespacePrefix, name: string): ElementReader | undefined {
    const ns = NS[prefix];
    const child = this.node.children.find((c) => c.ns === ns && c.name === name);
    return child ? new ElementReader(child, `${this.path}/${prefix}:${name}`) : undefined;
  }

  one(prefix: NamespacePrefix, name: string): ElementReader {
    const found = this.opt(prefix, name);
    if (!found) throw new OadrValueError(this.path, `missing element ${prefix}:${name}`);
    return found;
  }

  /** Element children in document order (for substitution groups, whose member decides the type). */
  elements(): ElementReader[] {
    return this.node.children.map((c, i) => new ElementReader(c, `${this.path}/*[${i}]`));
  }

  is(prefix: NamespacePrefix, name: string): boolean {
    return this.node.ns === NS[prefix] && this.node.name === name;
  }

  text(): string {
    return this.node.text;
  }

  token(): string {
    return this.node.text.trim();
  }

  attr(prefix: NamespacePrefix | null, name: string): string | undefined {
    const ns = prefix === null ? '' : NS[prefix];
    return this.node.attrs.find((a) => a.name === name && (a.ns ?? '') === ns)?.value;
  }

  str(prefix: NamespacePrefix, name: string): string {
    return this.one(prefix, name).text();
  }

  optStr(prefix: NamespacePrefix, name: string): string | undefined {
    return this.opt(prefix, name)?.text();
  }

  strs(prefix: NamespacePrefix, name: string): string[] | undefined {
    const values = this.all(prefix, name).map((r) => r.text());
    return values.length > 0 ? values : undefined;
  }

  enumeration<T extends string>(prefix: NamespacePrefix, name: string, allowed: readonly T[], extensible = false): T {
    return this.one(prefix, name).asEnumeration(allowed, extensible);
  }

  asEnumeration<T extends string>(allowed: readonly T[], extensible = false): T {
    const value = this.token();
    if ((allowed as readonly string[]).includes(value) || (extensible && /^x-\S/.test(value))) return value as T;
    throw new OadrValueError(this.path, `'${value}' is not one of ${allowed.join(', ')}${extensible ? ' or an x- extension' : ''}`);
  }

  asUnsignedInt(): number {
    const value = this.token();
    if (!/^\+?\d+$/.test(value) || Number(value) > 0xffffffff) throw new OadrValueError(this.path, `not an unsigned int: '${value}'`);
    return Number(value);
  }

  uint(prefix: NamespacePrefix, name: string): number {
    return this.one(prefix, name).asUnsignedInt();
  }

  optUint(prefix: NamespacePrefix, name: string): number | undefined {
    return this.opt(prefix, name)?.asUnsignedInt();
  }

  /**
   * xs:float also spells INF, -INF and NaN; no OpenADR quantity (power, energy, price, level) is
   * one of those, and a reading that is no number would poison every sum downstream, so they are
   * refused as invalid data (454) here, at the edge.
   */
  asFloat(): number {
    const value = this.token();
    if (value === 'INF' || value === '-INF' || value === 'NaN') throw new OadrValueError(this.path, `a non-finite number ('${value}') is not an OpenADR value`);
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) throw new OadrValueError(this.path, `not a number: '${value}'`);
    return Number(value);
  }

  float(prefix: NamespacePrefix, name: string): number {
    return this.one(prefix, name).asFloat();
  }

  optFloat(prefix: NamespacePrefix, name: string): number | undefined {
    return this.opt(prefix, name)?.asFloat();
  }

  asBoolean(): boolean {
    const value = this.token();
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new OadrValueError(this.path, `not a boolean: '${value}'`);
  }

  bool(prefix: NamespacePrefix, name: string): boolean {
    return this.one(prefix, name).asBoolean();
  }

  optBool(prefix: NamespacePrefix, name: string): boolean | undefined {
    return this.opt(prefix, name)?.asBoolean();
  }

  /** An element typed xcal:DateTimeType (text is the date-time). */
  asDateTime(): DateTime {
    return parseDateTime(this.token(), this.path);
  }

  dateTime(prefix: NamespacePrefix, name: string): DateTime {
    return this.one(prefix, name).asDateTime();
  }

  optDateTime(prefix: NamespacePrefix, name: string): DateTime | undefined {
    return this.opt(prefix, name)?.asDateTime();
  }

  /** xcal:dtstart (a wrapper holding xcal:date-time). */
  dtstart(): DateTime {
    return this.one('xcal', 'dtstart').dateTime('xcal', 'date-time');
  }

  optDtstart(): DateTime | undefined {
    return this.opt('xcal', 'dtstart')?.dateTime('xcal', 'date-time');
  }

  /** An element typed xcal:DurationValueType (text is the duration). */
  asDuration(): Duration {
    return parseDuration(this.token(), this.path);
  }

  /** An element typed xcal:DurationPropType (wraps xcal:duration). */
  durationProp(prefix: NamespacePrefix, name: string): Duration {
    return this.one(prefix, name).one('xcal', 'duration').asDuration();
  }

  optDurationProp(prefix: NamespacePrefix, name: string): Duration | undefined {
    return this.opt(prefix, name)?.one('xcal', 'duration').asDuration();
  }
}
