import { FakeGuest, hostStack, networkResource, resolve } from './util';
import { NetworkKind, PciAddress } from '../../src/core';
import { SriovNetwork } from '../../src/network';

const INVENTORY = { inventory: { sriovPhysicalFunctions: [{ name: 'ens1f0', vfCount: 2 }] } };

describe('SriovNetwork', () => {
  test('renders a managed vfio hostdev pool over a physical function', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    const net = new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0' });
    // THEN
    expect(net.kind).toBe(NetworkKind.SRIOV);
    expect(networkResource(stack, 'Fast').forward).toEqual({
      mode: 'hostdev', managed: true, driver: { name: 'vfio' }, pfs: [{ dev: 'ens1f0' }],
    });
  });

  test('renders an explicit VF list as decimal PCI addresses', () => {
    const { stack } = hostStack();
    new SriovNetwork(stack, 'Fast', { virtualFunctions: [PciAddress.of('0000:3b:02.3'), PciAddress.of('0000:3b:02.4')] });
    expect(networkResource(stack, 'Fast').forward.addresses).toEqual([
      { pci: { domain: 0, bus: 59, slot: 2, function: 3 } },
      { pci: { domain: 0, bus: 59, slot: 2, function: 4 } },
    ]);
  });

  test('sets a VLAN tag on the network', () => {
    const { stack } = hostStack();
    new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0', vlanTag: 100 });
    expect(networkResource(stack, 'Fast').vlan).toEqual({ tags: [{ id: 100 }] });
  });

  test('attaches a NIC on the network by name, without a model', () => {
    // GIVEN
    const { stack, host } = hostStack();
    const net = new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0' });
    // WHEN
    const nic = net.attach(new FakeGuest(stack, 'Vm', host));
    // THEN
    expect(resolve(stack, nic.interface)).toEqual({ source: { network: { network: expect.stringMatching(/^\$\{libvirt_network\.Fast_[0-9A-F]{8}\.name\}$/) } } });
  });

  test('draws one VF of the physical function per attached NIC', () => {
    const { stack, host } = hostStack(INVENTORY);
    const net = new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0' });
    net.attach(new FakeGuest(stack, 'A', host));
    net.attach(new FakeGuest(stack, 'B', host));
    expect(host.virtualFunctionsDrawn('ens1f0')).toBe(2);
  });

  test('throws when more VFs are drawn than the inventory declares', () => {
    // GIVEN
    const { stack, host } = hostStack(INVENTORY);
    const net = new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0' });
    net.attach(new FakeGuest(stack, 'A', host));
    net.attach(new FakeGuest(stack, 'B', host));
    // WHEN / THEN
    expect(() => net.attach(new FakeGuest(stack, 'C', host)))
      .toThrow(/Test\/C: 'network' must be a physical function with a free VF \(host Test\/Host declares 2 on ens1f0\)/);
  });

  test('throws when more NICs attach than the VF list holds', () => {
    const { stack, host } = hostStack();
    const net = new SriovNetwork(stack, 'Fast', { virtualFunctions: [PciAddress.of('3b:02.3')] });
    net.attach(new FakeGuest(stack, 'A', host));
    expect(() => net.attach(new FakeGuest(stack, 'B', host)))
      .toThrow(/Test\/B: 'network' must be an SR-IOV network with a free VF \(Test\/Fast lists 1: 0000:3b:02.3\), got "Test\/Fast". VF number 2 was asked for; claimants: Test\/A, Test\/B./);
  });

  test('throws when the physical function is not in a declared inventory', () => {
    const { stack } = hostStack(INVENTORY);
    expect(() => new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens2f0' }))
      .toThrow(/Test\/Fast: 'physicalFunction' must be an SR-IOV physical function declared in the inventory of host Test\/Host \("ens1f0"\), got "ens2f0"/);
  });

  test('throws when both a physical function and a VF list are given', () => {
    const { stack } = hostStack();
    expect(() => new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0', virtualFunctions: [PciAddress.of('3b:02.3')] }))
      .toThrow(/'virtualFunctions' must be given when the other is not: set exactly one of 'physicalFunction' and 'virtualFunctions'/);
  });

  test('throws when neither a physical function nor a VF list is given', () => {
    const { stack } = hostStack();
    expect(() => new SriovNetwork(stack, 'Fast', {}))
      .toThrow(/'physicalFunction' must be given when the other is not: set exactly one of 'physicalFunction' and 'virtualFunctions'/);
  });

  test('throws when a VF is listed twice', () => {
    const { stack } = hostStack();
    expect(() => new SriovNetwork(stack, 'Fast', { virtualFunctions: [PciAddress.of('3b:02.3'), PciAddress.of('0000:3b:02.3')] }))
      .toThrow(/'virtualFunctions' must be a list without duplicates.*0000:3b:02.3 is listed twice/);
  });

  test('throws when a VF is already claimed by another construct on the host', () => {
    const { stack } = hostStack();
    new SriovNetwork(stack, 'A', { virtualFunctions: [PciAddress.of('3b:02.3')] });
    expect(() => new SriovNetwork(stack, 'B', { virtualFunctions: [PciAddress.of('3b:02.3')] }))
      .toThrow(/Test\/B: 'virtualFunctions' must be a PCI device not already used on host Test\/Host, got "0000:3b:02.3". It is already claimed by Test\/A./);
  });

  test('throws when the VLAN tag is out of range', () => {
    const { stack } = hostStack();
    expect(() => new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0', vlanTag: 4095 }))
      .toThrow(/'vlanTag' must be an integer between 1 and 4094, got 4095/);
  });

  test('throws when the VF list is empty', () => {
    const { stack } = hostStack();
    expect(() => new SriovNetwork(stack, 'Fast', { virtualFunctions: [] }))
      .toThrow(/Test\/Fast: 'virtualFunctions' must be a list of at least one PciAddress, got \[\]/);
  });

  test('throws when the physical function is not an interface name', () => {
    const { stack } = hostStack();
    expect(() => new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0/vf' }))
      .toThrow(/'physicalFunction' must be a host interface name of 1-15 characters/);
  });
});
