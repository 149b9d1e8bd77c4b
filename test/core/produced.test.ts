import { Lazy, TerraformVariable, Token } from 'cdktf';
import { hasTokens, producedString, producedValue, withoutUndefined } from '../../src/core/produced';
import { newStack, synthJson } from '../util';

describe('synth-time values', () => {
  test('a produced string resolves to what its producer returns at synth', () => {
    const { stack } = newStack();
    let name = 'early';
    const v = new TerraformVariable(stack, 'V', { default: producedString(() => name) });
    name = 'late';
    void v;
    expect(synthJson(stack).variable.V.default).toBe('late');
  });

  test('a produced value records no creation stack', () => {
    expect(producedValue(() => 1).creationStack).toEqual([]);
  });

  test('drops undefined object entries at any depth and keeps Tokens as they are', () => {
    const token = Lazy.anyValue({ produce: () => 1 });
    expect(withoutUndefined({ a: undefined, b: { c: undefined, d: 1 }, e: [{ f: undefined }], g: token }))
      .toEqual({ b: { d: 1 }, e: [{}], g: token });
  });

  test.each([
    ['a string Token', Token.asString(Lazy.stringValue({ produce: () => 'x' }))],
    ['a number Token', Token.asNumber(Lazy.numberValue({ produce: () => 1 }))],
    ['a list Token', Token.asList(Lazy.listValue({ produce: () => ['x'] }))],
    ['an IResolvable', Lazy.anyValue({ produce: () => 1 })],
    ['a Token inside a string', `prefix-${Token.asString(Lazy.stringValue({ produce: () => 'x' }))}`],
  ])('finds %s, nested', (_what, token) => {
    expect(hasTokens({ a: [{ b: token }] })).toBe(true);
  });

  test('finds no Token in plain values', () => {
    expect(hasTokens({ a: [{ b: 'text', c: 1, d: true, e: null, f: undefined }] })).toBe(false);
  });
});
