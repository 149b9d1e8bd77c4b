import {
  CHARDEV_BRANCHES, INLINE, NAMES, SELF_TEXT, NAMESPACES, NOT_XML, ORDER, PATH_NAMES, PCI_ADDRESS_TYPED, PreviewKind, PTY_DEFAULT,
  ROOTS, TEXT_LEAVES, UnionSpec, UNIONS, YES_NO,
} from './mapping';
import { ReferenceResolver } from './references';
import { XmlElement } from './xml';
import { loadProviderSchema, SchemaAttribute } from '../checks/provider-schema';

export type { PreviewKind } from './mapping';

/** The libvirt XML that one provider resource defines. */
export interface PreviewDocument {
  /** What the document is: `domain`, `network`, `pool` or `volume`. */
  readonly kind: PreviewKind;
  /** The Terraform address, e.g. `libvirt_domain.Vm1`. */
  readonly address: string;
  /** The libvirt name of the object (a placeholder when it is not known at synth). */
  readonly name: string;
  /** The construct path from the resource's `//` metadata (empty when unknown). */
  readonly constructPath: string;
  /** The XML document. */
  readonly xml: string;
}

/** The provider resource types the preview renders, and what they define. */
const RESOURCE_KINDS: Record<string, PreviewKind> = {
  libvirt_domain: 'domain',
  libvirt_network: 'network',
  libvirt_pool: 'pool',
  libvirt_volume: 'volume',
};

/**
 * Renders the libvirt XML that the provider defines for every domain, network, pool and volume of
 * a synthesized stack (the parsed `cdk.tf.json`), in address order.
 *
 * References between resources are resolved where the referenced attribute is a literal in the
 * stack (a volume's `path` is derived from its pool's target path); otherwise they are shown as
 * placeholders such as `@{libvirt_volume.Root.path}`. Provider-only fields (`running`,
 * `autostart`, `create`, ...) are listed in a leading XML comment.
 */
export function renderStack(stackJson: any): PreviewDocument[] {
  const resolver = new ReferenceResolver(stackJson);
  const docs: PreviewDocument[] = [];
  const resources = stackJson?.resource ?? {};
  for (const type of Object.keys(RESOURCE_KINDS)) {
    for (const id of Object.keys(resources[type] ?? {})) {
      docs.push(renderResource(RESOURCE_KINDS[type], `${type}.${id}`, resources[type][id], resolver));
    }
  }
  return docs.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Renders one resource body of `kind`. */
export function renderResource(
  kind: PreviewKind, address: string, body: any, resolver: ReferenceResolver = new ReferenceResolver({}),
): PreviewDocument {
  const type = Object.keys(RESOURCE_KINDS).find((t) => RESOURCE_KINDS[t] === kind)!;
  const schema = loadProviderSchema().resources[type]?.attributes ?? {};
  const renderer = new Renderer(kind, resolver);
  const root = new XmlElement(ROOTS[kind]);
  const attributes = Object.fromEntries(Object.entries(body ?? {}).filter(([k]) => !['//', 'provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'provisioner', 'connection'].includes(k)));
  renderer.renderObject(root, root, attributes, '', schema);
  if (kind === 'volume' && !root.children.some((c) => c instanceof XmlElement && c.name === 'target')) {
    // libvirt's storagevol schema wants a <target>; an empty one means "libvirt decides", as no target does.
    const i = root.children.findIndex((c) => c instanceof XmlElement && c.name === 'backingStore');
    const target = new XmlElement('target');
    if (i >= 0) {
      root.children.splice(i, 0, target);
    } else {
      root.children.push(target);
    }
  }
  for (const prefix of [...renderer.namespaces].sort()) {
    root.attr(`xmlns:${prefix}`, NAMESPACES[prefix]);
  }
  const lines: string[] = [`<!-- ${address}${body?.['//']?.metadata?.path ? ` (${body['//'].metadata.path})` : ''} -->`];
  for (const note of renderer.notes) {
    lines.push(`<!-- not XML: ${note.replace(/--/g, '- -')} -->`);
  }
  lines.push(root.serialize());
  return {
    kind,
    address,
    name: resolver.resolveString(body?.name ?? ''),
    constructPath: body?.['//']?.metadata?.path ?? '',
    xml: `${lines.join('\n')}\n`,
  };
}

class Renderer {
  public readonly notes: string[] = [];
  public readonly namespaces = new Set<string>();

  constructor(private readonly kind: PreviewKind, private readonly resolver: ReferenceResolver) {}

  /** Renders the attributes of `obj` (at `path`) into `el`; `parent` is `el`'s parent element. */
  public renderObject(
    el: XmlElement, parent: XmlElement, obj: Record<string, any>, path: string, schema: Record<string, SchemaAttribute> | undefined,
  ) {
    const union = unionAt(path, schema);
    const consumed = new Set<string>();
    for (const key of this.order(path, Object.keys(obj))) {
      const value = obj[key];
      const p = path ? `${path}.${key}` : key;
      if (value === undefined || value === null || consumed.has(key)) {
        continue;
      }
      const notXml = NOT_XML[this.kind][p];
      if (notXml !== undefined) {
        this.notes.push(`${p} = ${this.describe(value)} (${notXml})`);
        continue;
      }
      const attr = schema?.[key];
      if (union && key in union.branches) {
        this.renderBranch(union, key, value, el, parent, p, attr);
        continue;
      }
      const nested = attr?.nested_type;
      if (nested || isObject(value) || (Array.isArray(value) && value.some(isObject))) {
        this.renderNested(el, key, value, p, attr);
        continue;
      }
      this.renderLeaf(el, obj, key, value, p, path, attr, schema, consumed);
    }
    if (PTY_DEFAULT.test(path) && !el.hasAttr('type')) {
      el.attrFirst('type', 'pty');
    }
  }

  private renderBranch(union: UnionSpec, key: string, value: any, el: XmlElement, parent: XmlElement, p: string, attr: SchemaAttribute | undefined) {
    const target = union.on === 'self' ? el : parent;
    for (const [name, v] of Object.entries(union.extra?.[key] ?? {}).reverse()) {
      target.attrFirst(name, v);
    }
    const disc = union.branches[key];
    if (union.attr && disc) {
      if (union.extra?.[key]) {
        const i = target.attributes.findIndex(([n]) => n === Object.keys(union.extra![key]).slice(-1)[0]);
        target.attributes.splice(i + 1, 0, [union.attr, disc]);
      } else {
        target.attrFirst(union.attr, disc);
      }
    }
    if (value === false) {
      return;
    }
    if (typeof value === 'boolean') {
      return;
    }
    if (ReferenceResolver.isExpression(value) && attr?.nested_type) {
      el.comment(`${key} = ${this.resolver.resolveString(value)} (unknown at synth)`);
      return;
    }
    if (!isObject(value)) {
      el.text = this.format(p, key, value, {});
      return;
    }
    this.renderObject(el, parent, value, p, attr?.nested_type?.attributes);
  }

  private renderNested(el: XmlElement, key: string, value: any, p: string, attr: SchemaAttribute | undefined) {
    if (ReferenceResolver.isExpression(value)) {
      el.comment(`${key} = ${this.resolver.resolveString(value)} (unknown at synth)`);
      return;
    }
    if (key === 'address' && isObject(value) && Object.keys(value).length === 0) {
      return; // guest-side addresses have no attributes in the provider (its issue #1373)
    }
    if (key === 'metadata' && isObject(value) && p === 'metadata') {
      const md = el.add('metadata');
      if (value.xml !== undefined) {
        md.raw(this.resolver.resolveString(value.xml));
      }
      return;
    }
    const nestedSchema = attr?.nested_type?.attributes;
    if (INLINE.some((r) => r.test(p))) {
      if (isObject(value)) {
        this.renderObject(el, el, value, p, nestedSchema);
      }
      return;
    }
    const mode = attr?.nested_type?.nesting_mode ?? (Array.isArray(value) ? 'list' : 'single');
    if (mode === 'map') {
      el.comment(`${key}: map values are not rendered`);
      return;
    }
    const items: any[] = mode === 'single' ? [value] : Array.isArray(value) ? value : [value];
    const name = this.elementName(p, key, mode !== 'single', el);
    for (const item of items) {
      if (ReferenceResolver.isExpression(item)) {
        el.comment(`${key} item = ${this.resolver.resolveString(item)} (unknown at synth)`);
        continue;
      }
      if (!isObject(item)) {
        continue;
      }
      const child = el.add(name);
      this.renderObject(child, el, item, p, nestedSchema);
      if (PCI_ADDRESS_TYPED.test(p)) {
        child.attrFirst('type', 'pci');
      }
      const union = unionAt(p, nestedSchema);
      if (union?.dropEmpty && child.isEmpty) {
        el.children.splice(el.children.indexOf(child), 1);
      }
    }
  }

  private renderLeaf(el: XmlElement, obj: Record<string, any>, key: string, value: any, p: string, path: string, attr: SchemaAttribute | undefined,
    schema: Record<string, SchemaAttribute> | undefined, consumed: Set<string>) {
    const type = attr?.type;
    const base = key.replace(/_[a-z]+$/, '');
    if (key.endsWith('_unit') && base !== key && schema?.[base] && (obj[base] === undefined || obj[base] === null)) {
      return; // the unit of a value that is not set (or computed)
    }
    if (SELF_TEXT[this.kind].test(p)) {
      el.text = this.format(p, key, value, obj);
      return;
    }
    const isText = TEXT_LEAVES[this.kind].test(p) || `${key}_unit` in (schema ?? obj);
    if (isText) {
      const child = el.add(this.elementName(p, key, false, el));
      child.text = this.format(p, key, value, obj);
      for (const sibling of Object.keys(obj)) {
        const siblingPath = path ? `${path}.${sibling}` : sibling;
        const siblingType = schema?.[sibling]?.type;
        if (sibling.startsWith(`${key}_`) && !schema?.[sibling]?.nested_type && !Array.isArray(siblingType) && !TEXT_LEAVES[this.kind].test(siblingPath)
          && obj[sibling] !== undefined && obj[sibling] !== null && !isObject(obj[sibling])) {
          const suffix = sibling.slice(key.length + 1);
          child.attr(NAMES[suffix] ?? suffix, this.format(siblingPath, suffix, obj[sibling], obj));
          consumed.add(sibling);
        }
      }
      return;
    }
    const flattenedBase = this.flattenedBase(key, path, schema, obj);
    if (flattenedBase) {
      // An attribute of a value+attribute element whose value is not set: `<loader secure='yes'/>`.
      const suffix = key.slice(flattenedBase.length + 1);
      const basePath = path ? `${path}.${flattenedBase}` : flattenedBase;
      const baseName = PATH_NAMES[this.kind][basePath] ?? NAMES[flattenedBase] ?? flattenedBase;
      el.child(baseName).attr(NAMES[suffix] ?? suffix, this.format(p, suffix, value, obj));
      return;
    }
    if (typeof value === 'boolean' || type === 'bool') {
      const b = value === true || value === 'true';
      if (YES_NO.has(key)) {
        el.attr(NAMES[key] ?? key, p === 'cpu.migratable' ? (b ? 'on' : 'off') : (b ? 'yes' : 'no'));
      } else if (b) {
        el.add(this.elementName(p, key, false, el));
      }
      return;
    }
    if (Array.isArray(value)) {
      const name = this.elementName(p, key, true, el);
      for (const item of value) {
        el.add(name).text = this.format(p, key, item, obj);
      }
      return;
    }
    el.attr(PATH_NAMES[this.kind][p] ?? NAMES[key] ?? key, this.format(p, key, value, obj));
  }

  /** For `loader_secure` next to an unset text leaf `loader`: `loader`. */
  private flattenedBase(
    key: string, path: string, schema: Record<string, SchemaAttribute> | undefined, obj: Record<string, any>,
  ): string | undefined {
    for (let i = key.indexOf('_'); i > 0; i = key.indexOf('_', i + 1)) {
      const base = key.slice(0, i);
      const basePath = path ? `${path}.${base}` : base;
      const baseAttr = schema?.[base];
      if (baseAttr && !baseAttr.nested_type && (obj[base] === undefined || obj[base] === null) && TEXT_LEAVES[this.kind].test(basePath)
        && !TEXT_LEAVES[this.kind].test(path ? `${path}.${key}` : key)) {
        return base;
      }
    }
    return undefined;
  }

  /** An element's XML name: the path table, then the name table, then the attribute (singular for lists). */
  private elementName(p: string, key: string, isList: boolean, parent: XmlElement): string {
    let name = PATH_NAMES[this.kind][p] ?? NAMES[key] ?? (isList ? singular(key) : key);
    const prefix = parent.name.includes(':') ? parent.name.split(':')[0] : undefined;
    if (!name.includes(':') && prefix) {
      name = `${prefix}:${name}`;
    }
    if (name.includes(':')) {
      const ns = name.split(':')[0];
      if (NAMESPACES[ns]) {
        this.namespaces.add(ns);
      }
    }
    return name;
  }

  /** A leaf value as XML text: references resolved, PCI address numbers in hex like libvirtxml. */
  private format(p: string, key: string, value: any, obj: Record<string, any>): string {
    if (typeof value === 'number' && /(^|\.)address$/.test(p.slice(0, p.lastIndexOf('.'))) && ('slot' in obj || 'function' in obj)) {
      switch (key) {
        case 'domain': return `0x${value.toString(16).padStart(4, '0')}`;
        case 'bus': case 'slot': return `0x${value.toString(16).padStart(2, '0')}`;
        case 'function': return `0x${value.toString(16)}`;
      }
    }
    if (typeof value === 'number' && /^forward\.addresses\.pci\.\w+$/.test(p)) {
      switch (key) {
        case 'domain': return `0x${value.toString(16).padStart(4, '0')}`;
        case 'bus': case 'slot': return `0x${value.toString(16).padStart(2, '0')}`;
        case 'function': return `0x${value.toString(16)}`;
      }
    }
    return this.resolver.resolveString(value);
  }

  private describe(value: any): string {
    const resolve = (v: any): any => {
      if (typeof v === 'string') {
        return this.resolver.resolveString(v);
      }
      if (Array.isArray(v)) {
        return v.map(resolve);
      }
      if (isObject(v)) {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
      }
      return v;
    };
    return JSON.stringify(resolve(value));
  }

  private order(path: string, keys: string[]): string[] {
    const hint = ORDER[`${this.kind}:${path}`] ?? LEADING_KEYS;
    const rank = (k: string) => {
      const i = hint.indexOf(k);
      return i < 0 ? hint.length : i;
    };
    return keys.map((k, i) => [k, i] as const).sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([k]) => k);
  }
}

const CHARDEV_UNION: UnionSpec = { on: 'parent', attr: 'type', dropEmpty: true, branches: CHARDEV_BRANCHES };

/** Keys that lead wherever no order hint applies, so attributes read as libvirt writes them (`dev` before `bus`). */
const LEADING_KEYS = ['mac', 'name', 'type', 'dev', 'model', 'mode', 'domain', 'bus', 'device', 'slot', 'function', 'address', 'prefix', 'netmask', 'family', 'start', 'end', 'ip', 'port'];

function unionAt(path: string, schema?: Record<string, SchemaAttribute>): UnionSpec | undefined {
  const found = UNIONS.find(([r]) => r.test(path))?.[1];
  if (found) {
    return found;
  }
  // Any object with libvirt's character-device variants is a chardev source.
  if (schema && 'pty' in schema && 'std_io' in schema && 'unix' in schema) {
    return path.endsWith('.vhost_user') ? { ...CHARDEV_UNION, on: 'self', dropEmpty: false } : CHARDEV_UNION;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The singular of a list attribute's name (`disks` -> `disk`, `addresses` -> `address`, `latencies` -> `latency`). */
export function singular(name: string): string {
  if (name === 'cookies') {
    return 'cookie';
  }
  if (name.endsWith('sses')) {
    return name.slice(0, -2);
  }
  if (name.endsWith('ies')) {
    return `${name.slice(0, -3)}y`;
  }
  if (name.endsWith('s') && !name.endsWith('ss')) {
    return name.slice(0, -1);
  }
  return name;
}

/**
 * A copy of a preview document's XML with placeholders (`@{libvirt_volume.Root.path}`) replaced by
 * stand-ins that libvirt's schemas accept (`/unresolved/libvirt_volume.Root.path` for paths,
 * `unresolved.libvirt_volume.Root.name` otherwise), for `virt-xml-validate`.
 */
export function withPlaceholderStandIns(xml: string): string {
  return xml.replace(/@\{([^}]*)\}/g, (_m, expr: string) => {
    const safe = expr.replace(/[^A-Za-z0-9_.-]+/g, '_');
    return /(path|file|dev|dir)$/.test(expr.trim()) ? `/unresolved/${safe}` : `unresolved.${safe}`;
  });
}
