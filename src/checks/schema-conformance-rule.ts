import { loadProviderSchema, ProviderSchema, SchemaAttribute, SchemaBlock } from './provider-schema';

/** One place where a synthesized stack does not conform to the provider schema. */
export interface ConformanceFinding {
  /** The Terraform address, e.g. `libvirt_domain.Vm1` (`data.libvirt_node_info.Host` for data sources). */
  readonly address: string;
  /** The construct path from the resource's `//` metadata, e.g. `lab/Vm1` (empty when unknown). */
  readonly constructPath: string;
  /** The attribute's path, e.g. `devices.disks[0].source.volume.pool` (the resource root is ``). */
  readonly attributePath: string;
  /** What is wrong. */
  readonly problem: string;
}

/** Terraform meta-arguments (and cdktf's metadata key) that are not provider attributes. */
const META_ARGUMENTS = new Set(['provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'connection', 'provisioner', '//']);

/** True for a Terraform expression (`${...}`), whose value and type are unknown at synth. */
export function isExpression(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

/**
 * Checks every `libvirt_*` resource and data source of a synthesized stack (the parsed
 * `cdk.tf.json`) against the provider schema: unknown attributes at any depth, missing required
 * attributes, computed-only attributes that are set, and value types. Expressions (`${...}`) are
 * accepted for any type. Findings are sorted by address, then attribute path.
 *
 * @param stackJson the parsed `cdk.tf.json`
 * @param schema the provider schema (default: the vendored one)
 */
export function checkStackConformance(stackJson: any, schema: ProviderSchema = loadProviderSchema()): ConformanceFinding[] {
  const findings: ConformanceFinding[] = [];
  const sections: Array<[string, string, Record<string, SchemaBlock>]> = [
    ['resource', '', schema.resources],
    ['data', 'data.', schema.dataSources],
  ];
  for (const [section, prefix, blocks] of sections) {
    const byType = stackJson?.[section] ?? {};
    for (const type of Object.keys(byType).sort()) {
      if (!type.startsWith('libvirt_')) {
        continue;
      }
      for (const name of Object.keys(byType[type] ?? {}).sort()) {
        const address = `${prefix}${type}.${name}`;
        findings.push(...checkResourceConformance(address, type, byType[type][name], blocks[type], section === 'data'));
      }
    }
  }
  return findings;
}

/**
 * Checks one resource (or data source) body, as it appears under `resource.<type>.<name>`.
 *
 * @param address the Terraform address used in findings
 * @param type the resource type, e.g. `libvirt_domain`
 * @param body the resource body
 * @param block the schema block of `type` (undefined: the type is unknown to the provider)
 */
export function checkResourceConformance(
  address: string, type: string, body: any, block: SchemaBlock | undefined, isData = false,
): ConformanceFinding[] {
  const constructPath: string = body?.['//']?.metadata?.path ?? '';
  const findings: ConformanceFinding[] = [];
  const report = (attributePath: string, problem: string) => findings.push({ address, constructPath, attributePath, problem });
  if (!block) {
    report('', `unknown ${isData ? 'data source' : 'resource'} type '${type}' (not in the provider schema)`);
    return findings;
  }
  if (isExpression(body)) {
    return findings;
  }
  if (!isPlainObject(body)) {
    report('', `must be an object, got ${describe(body)}`);
    return findings;
  }
  checkAttributes(block.attributes ?? {}, body, '', report, true);
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    if (body[name] !== undefined && !isExpression(body[name])) {
      const items = bt.nesting_mode === 'single' ? [body[name]] : asArray(body[name]);
      items.forEach((item, i) => checkAttributes(bt.block.attributes ?? {}, item, bt.nesting_mode === 'single' ? name : `${name}[${i}]`, report, false));
    }
  }
  return findings.sort((a, b) => a.attributePath.localeCompare(b.attributePath) || a.problem.localeCompare(b.problem));
}

type Report = (attributePath: string, problem: string) => void;

function checkAttributes(
  attrs: Record<string, SchemaAttribute>, value: any, at: string, report: Report, topLevel: boolean, blockNames: string[] = [],
) {
  const join = (k: string) => (at ? `${at}.${k}` : k);
  for (const key of Object.keys(value).sort()) {
    if (topLevel && META_ARGUMENTS.has(key)) {
      continue;
    }
    if (blockNames.includes(key)) {
      continue;
    }
    const attr = attrs[key];
    if (!attr) {
      const hint = suggest(key, Object.keys(attrs));
      report(join(key), `unknown attribute '${key}' at '${at || '(root)'}': the provider silently drops it${hint ? ` (did you mean '${hint}'?)` : ''}`);
      continue;
    }
    const v = value[key];
    if (v === null || v === undefined) {
      continue;
    }
    if (attr.computed && !attr.optional && !attr.required) {
      report(join(key), `'${key}' is computed by the provider and cannot be set`);
      continue;
    }
    checkValue(attr, v, join(key), report);
  }
  for (const [key, attr] of Object.entries(attrs).sort(([a], [b]) => a.localeCompare(b))) {
    if (attr.required && (value[key] === undefined || value[key] === null)) {
      report(join(key), `required attribute '${key}' is missing at '${at || '(root)'}'`);
    }
  }
}

function checkValue(attr: SchemaAttribute, v: any, at: string, report: Report) {
  if (isExpression(v)) {
    return;
  }
  if (attr.nested_type) {
    const nt = attr.nested_type;
    switch (nt.nesting_mode) {
      case 'single':
        if (!isPlainObject(v)) {
          report(at, `must be an object, got ${describe(v)}`);
        } else {
          checkAttributes(nt.attributes, v, at, report, false);
        }
        return;
      case 'list':
      case 'set':
        if (!Array.isArray(v)) {
          report(at, `must be a ${nt.nesting_mode} of objects, got ${describe(v)}`);
          return;
        }
        v.forEach((item, i) => {
          if (isExpression(item)) {
            return;
          }
          if (!isPlainObject(item)) {
            report(`${at}[${i}]`, `must be an object, got ${describe(item)}`);
          } else {
            checkAttributes(nt.attributes, item, `${at}[${i}]`, report, false);
          }
        });
        return;
      case 'map':
        if (!isPlainObject(v)) {
          report(at, `must be a map of objects, got ${describe(v)}`);
          return;
        }
        for (const k of Object.keys(v).sort()) {
          if (isExpression(v[k])) {
            continue;
          }
          if (!isPlainObject(v[k])) {
            report(`${at}["${k}"]`, `must be an object, got ${describe(v[k])}`);
          } else {
            checkAttributes(nt.attributes, v[k], `${at}["${k}"]`, report, false);
          }
        }
        return;
    }
  }
  checkType(attr.type, v, at, report);
}

/** Checks a value against a Terraform type (`"string"`, `["list","string"]`, `["object",{...}]`). */
function checkType(type: unknown, v: any, at: string, report: Report) {
  if (isExpression(v) || v === null || type === undefined || type === 'dynamic') {
    return;
  }
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (!['string', 'number', 'boolean'].includes(typeof v)) {
          report(at, `must be a string, got ${describe(v)}`);
        }
        return;
      case 'number':
        if (!(typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))))) {
          report(at, `must be a number, got ${describe(v)}`);
        }
        return;
      case 'bool':
        if (!(typeof v === 'boolean' || v === 'true' || v === 'false')) {
          report(at, `must be a bool, got ${describe(v)}`);
        }
        return;
      default:
        return;
    }
  }
  if (Array.isArray(type)) {
    const [kind, elem] = type as [string, any];
    switch (kind) {
      case 'list':
      case 'set':
        if (!Array.isArray(v)) {
          report(at, `must be a ${kind}, got ${describe(v)}`);
          return;
        }
        v.forEach((item, i) => checkType(elem, item, `${at}[${i}]`, report));
        return;
      case 'map':
        if (!isPlainObject(v)) {
          report(at, `must be a map, got ${describe(v)}`);
          return;
        }
        for (const k of Object.keys(v).sort()) {
          checkType(elem, v[k], `${at}["${k}"]`, report);
        }
        return;
      case 'object':
        if (!isPlainObject(v)) {
          report(at, `must be an object, got ${describe(v)}`);
          return;
        }
        for (const k of Object.keys(v).sort()) {
          if (!(k in elem)) {
            report(`${at}.${k}`, `unknown attribute '${k}' at '${at}': the provider silently drops it`);
          } else {
            checkType(elem[k], v[k], `${at}.${k}`, report);
          }
        }
        return;
      case 'tuple':
        return;
    }
  }
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [v];
}

function describe(v: unknown): string {
  if (Array.isArray(v)) {
    return 'a list';
  }
  if (v === null) {
    return 'null';
  }
  if (typeof v === 'object') {
    return 'an object';
  }
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** The closest known name (for "did you mean"), when it is close enough. */
function suggest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
