import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from './validation-error';

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/**
 * Checks a libvirt object name (domain, network, pool, volume): letters, digits, `.`, `_`, `+`
 * and `-`, starting with a letter or digit, at most `maxLength` characters. Tokens are passed through.
 *
 * @internal
 */
export function validateName(scope: IConstruct, prop: string, name: string, maxLength: number = 64): string {
  if (Token.isUnresolved(name)) return name;
  if (typeof name !== 'string' || !NAME_RE.test(name) || name.length > maxLength) {
    throw new ValidationError(scope, prop, name,
      `1-${maxLength} characters of letters, digits, '.', '_', '+' or '-', starting with a letter or digit`);
  }
  return name;
}

/**
 * A default libvirt name from a construct id: `WebServers` -> `web-servers`, `db_1` -> `db-1`.
 *
 * @internal
 */
export function kebabName(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9.+-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase() || 'unnamed';
}

/**
 * Checks that `value` is an integer within [min, max]. Tokens are passed through.
 *
 * @internal
 */
export function validateInt(scope: IConstruct, prop: string, value: number, min: number, max: number = Number.MAX_SAFE_INTEGER): number {
  if (Token.isUnresolved(value)) return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer of at least ${min}` : `an integer between ${min} and ${max}`;
    throw new ValidationError(scope, prop, value, range);
  }
  return value;
}
