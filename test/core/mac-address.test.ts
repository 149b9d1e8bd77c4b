import { MacAddress } from '../../src/core';

describe('MacAddress', () => {
  test('normalizes to lower case with colons', () => {
    expect(MacAddress.of('52-54-00-AB-CD-EF').toString()).toBe('52:54:00:ab:cd:ef');
  });

  test('derives the same address from the same seed', () => {
    expect(MacAddress.derive('lab/web-1/nic0').toString()).toBe(MacAddress.derive('lab/web-1/nic0').toString());
  });

  test('derives different addresses from different seeds', () => {
    expect(MacAddress.derive('lab/web-1/nic0').toString()).not.toBe(MacAddress.derive('lab/web-2/nic0').toString());
  });

  test('derives locally administered unicast addresses', () => {
    for (let i = 0; i < 200; i++) {
      const mac = MacAddress.derive(`seed-${i}`);
      const first = parseInt(mac.toString().slice(0, 2), 16);
      expect(first & 0x01).toBe(0);
      expect(mac.isLocallyAdministered).toBe(true);
    }
  });

  test('derives 1000 distinct addresses for 1000 seeds', () => {
    const macs = new Set(Array.from({ length: 1000 }, (_, i) => MacAddress.derive(`lab/node-${i}`).toString()));
    expect(macs.size).toBe(1000);
  });

  test.each([['52:54:00:12:34'], ['52:54:00:12:34:5g'], ['525400123456'], ['52:54-00:12:34:56']])('rejects the malformed address %p', (bad) => {
    expect(() => MacAddress.of(bad)).toThrow(/MacAddress.of: 'address' must be six hex octets separated by colons/);
  });

  test('rejects multicast addresses', () => {
    expect(() => MacAddress.of('01:00:5e:00:00:01')).toThrow(/'address' must be a unicast address/);
  });

  test('rejects the all-zero address', () => {
    expect(() => MacAddress.of('00:00:00:00:00:00')).toThrow(/'address' must be a non-zero address/);
  });
});
