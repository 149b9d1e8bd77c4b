/*
 * Resolution of Terraform expressions in a synthesized stack, for the preview. A reference
 * `${libvirt_pool.Pool.name}` becomes the referenced literal when the stack has one, and a
 * placeholder `@{libvirt_pool.Pool.name}` otherwise. Internal to the preview.
 */

const EXPRESSION = /\$\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g;
const SIMPLE_REFERENCE = /^\s*((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.([a-z0-9_.]+)\s*$/;

/** Resolves expressions against the resources of one synthesized stack. */
export class ReferenceResolver {
  /** True when `v` is a string holding an expression. */
  public static isExpression(v: unknown): v is string {
    return typeof v === 'string' && v.includes('${');
  }

  constructor(private readonly stackJson: any) {}

  /**
   * Resolves every `${...}` in `value` (a string) to a literal or a placeholder. Non-strings are
   * returned as strings.
   */
  public resolveString(value: unknown, depth = 0): string {
    if (typeof value !== 'string') {
      return value === undefined || value === null ? '' : String(value);
    }
    return value.replace(EXPRESSION, (_m, expr: string) => {
      const literal = this.resolveExpression(expr, depth);
      return literal ?? `@{${expr.trim()}}`;
    });
  }

  /** The literal value of a simple reference, or undefined when it is not known at synth. */
  public resolveExpression(expr: string, depth = 0): string | undefined {
    if (depth > 8) {
      return undefined;
    }
    const m = SIMPLE_REFERENCE.exec(expr);
    if (!m) {
      return undefined;
    }
    const [, address, attrPath] = m;
    const body = this.body(address);
    if (!body) {
      return undefined;
    }
    const type = address.replace(/^data\./, '').split('.')[0];
    if (type === 'libvirt_volume' && (attrPath === 'path' || attrPath === 'target.path' || attrPath === 'id' || attrPath === 'key')) {
      return this.volumePath(body, depth);
    }
    let v: any = body;
    for (const part of attrPath.split('.')) {
      v = v?.[part];
    }
    if (v === undefined || v === null || typeof v === 'object') {
      return undefined;
    }
    if (ReferenceResolver.isExpression(v)) {
      const resolved = this.resolveString(v, depth + 1);
      return resolved.includes('@{') ? undefined : resolved;
    }
    return String(v);
  }

  /** A volume's path: `<pool target path>/<volume name>`, when both are known. */
  private volumePath(volume: any, depth: number): string | undefined {
    const name = this.literal(volume.name, depth);
    const poolName = this.literal(volume.pool, depth);
    if (name === undefined || poolName === undefined) {
      return undefined;
    }
    const pools = this.stackJson?.resource?.libvirt_pool ?? {};
    for (const id of Object.keys(pools).sort()) {
      const pool = pools[id];
      if (this.literal(pool.name, depth) === poolName) {
        const target = this.literal(pool.target?.path, depth);
        if (target !== undefined && pool.type !== undefined && ['dir', 'fs', 'netfs'].includes(String(pool.type))) {
          return `${target.replace(/\/+$/, '')}/${name}`;
        }
        if (target !== undefined && String(pool.type) === 'logical') {
          return `${target.replace(/\/+$/, '')}/${name}`;
        }
        return undefined;
      }
    }
    return undefined;
  }

  private literal(v: unknown, depth: number): string | undefined {
    if (v === undefined || v === null) {
      return undefined;
    }
    const s = this.resolveString(v, depth + 1);
    return s.includes('@{') ? undefined : s;
  }

  private body(address: string): any {
    const isData = address.startsWith('data.');
    const [type, name] = address.replace(/^data\./, '').split('.');
    return this.stackJson?.[isData ? 'data' : 'resource']?.[type]?.[name];
  }
}
