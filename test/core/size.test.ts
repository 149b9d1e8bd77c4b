import { Size, SizeUnit } from '../../src/core';

describe('Size', () => {
  test('converts gibibytes to kibibytes exactly', () => {
    expect(Size.gibibytes(4).toKibibytes()).toBe(4 * 1024 * 1024);
  });

  test('converts tebibytes to bytes exactly', () => {
    expect(Size.tebibytes(2).toBytes()).toBe(2 * 1024 ** 4);
  });

  test('picks the largest unit the size is a whole number of', () => {
    expect(Size.mebibytes(1536).toLargestExactUnit()).toEqual({ amount: 1536, unit: SizeUnit.MIB });
    expect(Size.mebibytes(2048).toLargestExactUnit()).toEqual({ amount: 2, unit: SizeUnit.GIB });
  });

  test('renders zero as 0 bytes', () => {
    expect(Size.bytes(0).toLargestExactUnit()).toEqual({ amount: 0, unit: SizeUnit.BYTES });
    expect(Size.bytes(0).toString()).toBe('0B');
  });

  test('parses binary, decimal and bare units', () => {
    expect(Size.parse('512MiB').toBytes()).toBe(512 * 1024 ** 2);
    expect(Size.parse('20G').toBytes()).toBe(20 * 1024 ** 3);
    expect(Size.parse('4 GiB').toGibibytes()).toBe(4);
    expect(Size.parse('1KB').toBytes()).toBe(1000);
    expect(Size.parse('1048576').toBytes()).toBe(1048576);
  });

  test('prints the largest exact unit', () => {
    expect(Size.kibibytes(3 * 1024 * 1024).toString()).toBe('3GiB');
  });

  test('throws when converting to a unit that does not divide it', () => {
    expect(() => Size.mebibytes(1536).toGibibytes()).toThrow(/'unit' must be a unit that divides 1610612736 bytes exactly, got "GiB"/);
  });

  test('rejects negative amounts', () => {
    expect(() => Size.gibibytes(-1)).toThrow(/Size.of\(GiB\): 'amount' must be a whole number of GiB that is 0 or more, got -1/);
  });

  test('rejects fractional amounts with a hint to a smaller unit', () => {
    expect(() => Size.gibibytes(1.5)).toThrow(/got 1.5\. Express fractions in a smaller unit/);
  });

  test('rejects amounts too large to be exact in bytes', () => {
    expect(() => Size.tebibytes(10_000_000)).toThrow(/'amount' must be at most 8191 TiB/);
  });

  test('rejects unknown units when parsing', () => {
    expect(() => Size.parse('4 gigs')).toThrow(/Size.parse: 'unit' must be one of B, KiB, .*got "gigs"/);
  });

  test('rejects text that is not a size', () => {
    expect(() => Size.parse('-4GiB')).toThrow(/'text' must be a whole number followed by a unit/);
    expect(() => Size.parse('1.5GiB')).toThrow(/'text' must be a whole number followed by a unit/);
  });

  test('adds, multiplies and compares', () => {
    const a = Size.gibibytes(1);
    expect(a.plus(Size.mebibytes(512)).toMebibytes()).toBe(1536);
    expect(a.times(3).toGibibytes()).toBe(3);
    expect(a.compareTo(Size.mebibytes(1024))).toBe(0);
    expect(a.compareTo(Size.mebibytes(1025))).toBe(-1);
    expect(a.isEqual(Size.kibibytes(1024 * 1024))).toBe(true);
  });
});
