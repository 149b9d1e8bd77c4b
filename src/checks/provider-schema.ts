import * as fs from 'fs';
import * as path from 'path';

/*
 * Access to the vendored provider schema (`schema/dmacvicar-libvirt-0.9.7.schema.json`), the shape
 * `terraform providers schema -json` prints. Internal: not part of the jsii API.
 */

/** The schema's file name, relative to the package root. */
export const PROVIDER_SCHEMA_FILE = path.join('schema', 'dmacvicar-libvirt-0.9.7.schema.json');

/** The provider's source address inside the schema JSON. */
const PROVIDER_ADDRESS = 'registry.terraform.io/dmacvicar/libvirt';

/** One attribute of a block (`block.attributes.<name>`). */
export interface SchemaAttribute {
  readonly type?: unknown;
  readonly nested_type?: SchemaNestedType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
}

/** A nested attribute type (protocol v6). */
export interface SchemaNestedType {
  readonly attributes: Record<string, SchemaAttribute>;
  readonly nesting_mode: 'single' | 'list' | 'set' | 'map';
}

/** A block: attributes and (rarely, for this provider) nested blocks. */
export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { nesting_mode: string; block: SchemaBlock; min_items?: number; max_items?: number }>;
}

/** The schemas of one provider's resources and data sources. */
export interface ProviderSchema {
  readonly resources: Record<string, SchemaBlock>;
  readonly dataSources: Record<string, SchemaBlock>;
}

const cache = new Map<string, ProviderSchema>();

/**
 * The package root: the first ancestor of this file with a package.json (works from src/ under
 * ts/jest and from lib/ in the published package).
 */
export function packageRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cdktf-libvirt: cannot find the package root above ${__dirname}`);
    }
    dir = parent;
  }
}

/** Parses a schema JSON document (the `terraform providers schema -json` shape). */
export function parseProviderSchema(json: any): ProviderSchema {
  const providers = json?.provider_schemas ?? {};
  const key = Object.keys(providers).find((k) => k === PROVIDER_ADDRESS || k.endsWith('/libvirt'));
  if (!key) {
    throw new Error(`cdktf-libvirt: the schema has no provider '${PROVIDER_ADDRESS}'`);
  }
  const p = providers[key];
  const blocks = (m: any): Record<string, SchemaBlock> =>
    Object.fromEntries(Object.entries(m ?? {}).map(([k, v]: [string, any]) => [k, v.block as SchemaBlock]));
  return { resources: blocks(p.resource_schemas), dataSources: blocks(p.data_source_schemas) };
}

/** The vendored provider schema (or the one in `file`), loaded once and cached. */
export function loadProviderSchema(file?: string): ProviderSchema {
  const resolved = file ? path.resolve(file) : path.join(packageRoot(), PROVIDER_SCHEMA_FILE);
  let schema = cache.get(resolved);
  if (!schema) {
    schema = parseProviderSchema(JSON.parse(fs.readFileSync(resolved, 'utf8')));
    cache.set(resolved, schema);
  }
  return schema;
}
