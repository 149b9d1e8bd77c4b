import { PciAddress } from '../../src/core';

describe('PciAddress', () => {
  test('parses a full address into the decimal numbers the provider wants', () => {
    expect(PciAddress.of('0000:3b:02.3').toNumbers()).toEqual({ domain: 0, bus: 59, slot: 2, function: 3 });
  });

  test('implies domain 0 when the address has none', () => {
    expect(PciAddress.of('3b:02.3').toString()).toBe('0000:3b:02.3');
  });

  test('accepts upper-case hex and non-zero domains', () => {
    expect(PciAddress.of('0001:AF:1F.7').toNumbers()).toEqual({ domain: 1, bus: 175, slot: 31, function: 7 });
  });

  test('renders the libvirt node-device name and parses it back', () => {
    const a = PciAddress.of('0000:65:00.0');
    expect(a.toNodeDeviceName()).toBe('pci_0000_65_00_0');
    expect(PciAddress.fromNodeDeviceName('pci_0000_65_00_0').isEqual(a)).toBe(true);
  });

  test('gives the address of another function of the same device', () => {
    expect(PciAddress.of('0000:65:00.0').withFunction(1).toString()).toBe('0000:65:00.1');
  });

  test.each([
    ['3b:02'],
    ['0000:3b:02:3'],
    ['00000:3b:02.3'],
    ['zz:02.3'],
    ['0000:3b:02.8'],
    [''],
  ])('rejects the malformed address %p', (bad) => {
    expect(() => PciAddress.of(bad)).toThrow(/PciAddress.of: 'address' must be a PCI address \[DDDD:\]BB:SS.F/);
  });

  test('rejects a slot above 0x1f', () => {
    expect(() => PciAddress.of('0000:3b:20.0')).toThrow(/'slot' must be an integer from 0 to 31 \(0x1f\), got 32/);
  });

  test('rejects a malformed node-device name', () => {
    expect(() => PciAddress.fromNodeDeviceName('net_ens1f0')).toThrow(/'name' must be a libvirt PCI node-device name/);
  });
});
