import { VALIDATION_ERROR_SYMBOL } from './validation-error';

/**
 * Helpers for telling this library's errors apart.
 */
export class Errors {
  /**
   * True when `x` is the library's error for invalid input.
   */
  public static isValidationError(x: any): boolean {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR_SYMBOL in x;
  }

  private constructor() {}
}
