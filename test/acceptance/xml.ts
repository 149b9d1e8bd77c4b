/**
 * A minimal XML element tree for the acceptance suite: enough to read, rewrite and write back the
 * libvirt documents (elements, attributes, text; comments and the prolog are dropped). Not a
 * general XML parser: no DTDs, no namespaces beyond keeping prefixed names as they are.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

function encode(s: string, attr: boolean): string {
  const t = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return attr ? t.replace(/'/g, '&apos;') : t;
}

/** Parses a document and returns its root element. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const root: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const top = () => stack[stack.length - 1];
  while (i < xml.length) {
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end < 0) throw new Error('unterminated processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      if (end < 0) throw new Error('unterminated CDATA');
      top().children.push(xml.slice(i + 9, end));
      i = end + 3;
    } else if (xml.startsWith('<!', i)) {
      const end = xml.indexOf('>', i);
      i = end + 1;
    } else if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`mismatched </${name}> at ${i}`);
      i = end + 1;
    } else if (xml[i] === '<') {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(xml.slice(i, i + 200));
      if (!m) throw new Error(`bad tag at ${i}`);
      const el: XmlElement = { name: m[1], attrs: {}, children: [] };
      i += m[0].length;
      const attrRe = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
      for (;;) {
        attrRe.lastIndex = i;
        const a = attrRe.exec(xml);
        if (!a) break;
        el.attrs[a[1]] = decode(a[3] ?? a[4] ?? '');
        i = attrRe.lastIndex;
      }
      while (/\s/.test(xml[i])) i++;
      top().children.push(el);
      if (xml.startsWith('/>', i)) {
        i += 2;
      } else if (xml[i] === '>') {
        i += 1;
        stack.push(el);
      } else {
        throw new Error(`bad tag <${el.name}> at ${i}`);
      }
    } else {
      const end = xml.indexOf('<', i);
      const chunk = xml.slice(i, end < 0 ? xml.length : end);
      if (chunk.trim() !== '') top().children.push(decode(chunk));
      i = end < 0 ? xml.length : end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${top().name}>`);
  const roots = root.children.filter(isElement);
  if (roots.length !== 1) throw new Error(`expected one root element, got ${roots.length}`);
  return roots[0];
}

export function isElement(n: XmlNode): n is XmlElement {
  return typeof n !== 'string';
}

/** Writes an element back as indented XML. */
export function serializeXml(el: XmlElement, indent = ''): string {
  const attrs = Object.entries(el.attrs).map(([k, v]) => ` ${k}='${encode(v, true)}'`).join('');
  if (el.children.length === 0) return `${indent}<${el.name}${attrs}/>`;
  if (el.children.every((c) => typeof c === 'string')) {
    return `${indent}<${el.name}${attrs}>${encode(el.children.join(''), false)}</${el.name}>`;
  }
  const inner = el.children
    .map((c) => (typeof c === 'string' ? `${indent}  ${encode(c.trim(), false)}` : serializeXml(c, indent + '  ')))
    .join('\n');
  return `${indent}<${el.name}${attrs}>\n${inner}\n${indent}</${el.name}>`;
}

/** Child elements named `name` (all children when no name is given). */
export function children(el: XmlElement | undefined, name?: string): XmlElement[] {
  if (!el) return [];
  return el.children.filter(isElement).filter((c) => name === undefined || c.name === name);
}

/** The first child element on a slash-separated path, e.g. `devices/disk`. */
export function child(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const part of path.split('/')) {
    cur = children(cur, part)[0];
    if (!cur) return undefined;
  }
  return cur;
}

/** The text content of an element (undefined when absent). */
export function text(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  return el.children.filter((c): c is string => typeof c === 'string').join('').trim();
}

/** Removes the child elements for which `drop` returns true; returns the removed ones. */
export function removeChildren(el: XmlElement, drop: (c: XmlElement) => boolean): XmlElement[] {
  const removed: XmlElement[] = [];
  el.children = el.children.filter((c) => {
    if (typeof c !== 'string' && drop(c)) {
      removed.push(c);
      return false;
    }
    return true;
  });
  return removed;
}

/** A deep copy. */
export function cloneXml(el: XmlElement): XmlElement {
  return {
    name: el.name,
    attrs: { ...el.attrs },
    children: el.children.map((c) => (typeof c === 'string' ? c : cloneXml(c))),
  };
}

/** Sets the text content of an element, replacing its children. */
export function setText(el: XmlElement, value: string): void {
  el.children = [value];
}

/** Returns the child `name` of `el`, creating it when missing. */
export function ensureChild(el: XmlElement, name: string): XmlElement {
  const existing = children(el, name)[0];
  if (existing) return existing;
  const created: XmlElement = { name, attrs: {}, children: [] };
  el.children.push(created);
  return created;
}
