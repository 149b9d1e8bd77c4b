import { IResolvable, IResolveContext, Token, Tokenization } from 'cdktf';

/*
 * Values computed at synth. Internal: not exported from the package.
 */

/**
 * Computed at synth time, like cdktf's `Lazy`, but without the full stack trace that `Lazy`
 * records when it is created (for its error messages). The library makes several of these per
 * guest, and recording those traces was a measurable part of the synth time of large labs
 * (benchmarks/RESULTS.md). The producers here are the library's own and do not fail on a
 * user's input, so the trace would never be shown.
 */
class Produced implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly producer: (context: IResolveContext) => unknown) {}

  public resolve(context: IResolveContext): unknown {
    return this.producer(context);
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/** A string Token whose value `produce` returns at synth. */
export function producedString(produce: (context: IResolveContext) => string | undefined): string {
  return Token.asString(new Produced(produce));
}

/** A Token of any type whose value `produce` returns at synth. */
export function producedValue(produce: (context: IResolveContext) => unknown): IResolvable {
  return new Produced(produce);
}

/**
 * A copy of `value` without undefined object entries, at any depth; Tokens are kept as they are.
 * The generated `...ToTerraform` functions write every attribute of a block, mostly undefined,
 * and cdktf walks each one on every resolve; values the library keeps to resolve later (replace
 * definitions, network digests) are compacted once instead.
 */
export function withoutUndefined<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Tokenization.isResolvable(value)) return value;
  if (Array.isArray(value)) return value.map((v) => withoutUndefined(v)) as unknown as T;
  const out: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) out[k] = withoutUndefined(v);
  }
  return out as T;
}

/** Whether `value` holds a Token anywhere (a string, number, list or map Token, or an IResolvable). */
export function hasTokens(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') return Token.isUnresolved(value);
  if (value === null || typeof value !== 'object') return false;
  if (Tokenization.isResolvable(value) || Token.isUnresolved(value)) return true;
  return Array.isArray(value) ? value.some(hasTokens) : Object.values(value).some(hasTokens);
}
