import { IConstruct } from 'constructs';

/** @internal */
export const VALIDATION_ERROR_SYMBOL = Symbol.for('cdktf-libvirt.ValidationError');

/**
 * Renders a user-supplied value for an error message: strings quoted, objects as JSON,
 * value classes through their own `toString()`.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  const proto = Object.getPrototypeOf(value);
  if (proto && proto !== Object.prototype && typeof (value as any).toString === 'function') {
    return String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/**
 * The one error type for invalid input.
 *
 * Its message names where the input was given (a construct path, or a value factory such as
 * `PciAddress.of`), the prop, the value and what is allowed:
 * `Lab/Web: 'cpus' must be an integer between 1 and 255, got 0.`
 *
 * Not exported through jsii (it extends `Error`); test for it with `Errors.isValidationError`.
 */
export class ValidationError extends Error {
  /** Construct path, or the name of the value factory, that received the input. */
  public readonly where: string;
  /** The prop (or argument) that holds the bad input. */
  public readonly prop: string;
  /** The value that was given. */
  public readonly value: unknown;
  /** What is allowed, as a phrase that follows "must be". */
  public readonly allowed: string;

  /**
   * @param where a construct (its path is named) or the name of a value factory
   * @param prop the prop that holds the bad input
   * @param value the bad value
   * @param allowed what is allowed, phrased to follow "must be" (e.g. "an integer between 1 and 255")
   * @param hint an optional sentence on how to fix it
   */
  constructor(where: IConstruct | string, prop: string, value: unknown, allowed: string, hint?: string) {
    const at = typeof where === 'string' ? where : where.node.path || '<root>';
    super(`${at}: '${prop}' must be ${allowed}, got ${describeValue(value)}.${hint ? ` ${hint}` : ''}`);
    this.name = 'ValidationError';
    this.where = at;
    this.prop = prop;
    this.value = value;
    this.allowed = allowed;
    Object.defineProperty(this, VALIDATION_ERROR_SYMBOL, { value: true });
  }
}

