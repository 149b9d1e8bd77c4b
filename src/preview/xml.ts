/*
 * A tiny XML element tree with a deterministic, indented serializer. Internal to the preview.
 */

/** An XML element under construction. */
export class XmlElement {
  public readonly attributes: Array<[string, string]> = [];
  public readonly children: Array<XmlElement | XmlComment | XmlRaw> = [];
  public text?: string;

  constructor(public readonly name: string) {}

  /** Sets an attribute (replacing an earlier value of the same name). */
  public attr(name: string, value: string): this {
    const i = this.attributes.findIndex(([n]) => n === name);
    if (i >= 0) {
      this.attributes[i] = [name, value];
    } else {
      this.attributes.push([name, value]);
    }
    return this;
  }

  /** Sets an attribute before the others (e.g. a union's `type`). */
  public attrFirst(name: string, value: string): this {
    const i = this.attributes.findIndex(([n]) => n === name);
    if (i >= 0) {
      this.attributes.splice(i, 1);
    }
    this.attributes.unshift([name, value]);
    return this;
  }

  public hasAttr(name: string): boolean {
    return this.attributes.some(([n]) => n === name);
  }

  /** Appends and returns a new child element. */
  public add(name: string): XmlElement {
    const child = new XmlElement(name);
    this.children.push(child);
    return child;
  }

  /** The first child element named `name`, created when missing. */
  public child(name: string): XmlElement {
    const found = this.children.find((c): c is XmlElement => c instanceof XmlElement && c.name === name);
    return found ?? this.add(name);
  }

  public comment(text: string): this {
    this.children.push(new XmlComment(text));
    return this;
  }

  public raw(xml: string): this {
    this.children.push(new XmlRaw(xml));
    return this;
  }

  /** True when the element has no attributes, children or text. */
  public get isEmpty(): boolean {
    return this.attributes.length === 0 && this.children.length === 0 && this.text === undefined;
  }

  public serialize(indent = ''): string {
    const attrs = this.attributes.map(([n, v]) => ` ${n}='${escapeAttr(v)}'`).join('');
    if (this.children.length === 0) {
      return this.text === undefined
        ? `${indent}<${this.name}${attrs}/>`
        : `${indent}<${this.name}${attrs}>${escapeText(this.text)}</${this.name}>`;
    }
    const inner = this.children.map((c) => c.serialize(`${indent}  `));
    const text = this.text === undefined ? '' : `\n${indent}  ${escapeText(this.text)}`;
    return [`${indent}<${this.name}${attrs}>${text}`, ...inner, `${indent}</${this.name}>`].join('\n');
  }
}

/** An XML comment. */
export class XmlComment {
  constructor(public readonly text: string) {}
  public serialize(indent = ''): string {
    return `${indent}<!-- ${this.text.replace(/--/g, '- -')} -->`;
  }
}

/** Raw XML, inserted as given (e.g. `metadata.xml`). */
export class XmlRaw {
  constructor(public readonly xml: string) {}
  public serialize(indent = ''): string {
    return this.xml.trim().split('\n').map((l) => `${indent}${l.trim()}`).join('\n');
  }
}

export function escapeAttr(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/'/g, '&apos;');
}

export function escapeText(v: string): string {
  return v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
