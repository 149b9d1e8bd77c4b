import { Testing } from 'cdktf';
import { FakeGuest, FakeSriovNetwork, domainOf, hostStack, sriovInventory } from './util';
import { LibvirtHost, MacAddress, NetworkKind, PciAddress } from '../../src/core';
import { SriovNic, VirtualFunction } from '../../src/devices';
import { Domain } from '../../src/imports/libvirt/domain';

const VF0 = PciAddress.of('0000:3b:02.0');
const VF1 = PciAddress.of('0000:3b:02.1');

describe('SriovNic', () => {
  describe('a VF by address', () => {
    test('renders a managed vfio hostdev interface with the decimal PCI address', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(PciAddress.of('0000:3b:02.3')) });
      // WHEN
      new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // THEN
      const iface = domainOf(stack, 'Router').devices.interfaces[0];
      expect(iface).toMatchObject({
        managed: true,
        driver: { name: 'vfio' },
        source: { hostdev: { pci: { address: { domain: 0, bus: 59, slot: 2, function: 3 } } } },
      });
    });

    test('derives a stable, locally administered MAC when none is given', () => {
      // GIVEN
      const build = () => {
        const { stack, host } = hostStack();
        const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0) });
        new FakeGuest(stack, 'Router', { host, devices: [nic] });
        return domainOf(stack, 'Router').devices.interfaces[0].mac.address as string;
      };
      // WHEN
      const first = build();
      const second = build();
      // THEN
      expect(first).toEqual(second);
      expect(MacAddress.of(first).isLocallyAdministered).toBe(true);
    });

    test('uses the MAC address it is given', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0), mac: MacAddress.of('52:54:00:AA:BB:01') });
      // WHEN
      const guest = new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // THEN
      expect(domainOf(stack, 'Router').devices.interfaces[0].mac).toEqual({ address: '52:54:00:aa:bb:01' });
      expect(nic.macAddressFor(guest).toString()).toBe('52:54:00:aa:bb:01');
    });

    test('tags the VF with the VLAN it is given', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0), vlan: 100 });
      // WHEN
      new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // THEN
      expect(domainOf(stack, 'Router').devices.interfaces[0].vlan).toEqual({ tags: [{ id: 100 }] });
    });

    test('leaves the VF untagged by default', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0) });
      // WHEN
      new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // THEN
      expect(domainOf(stack, 'Router').devices.interfaces[0].vlan).toBeUndefined();
    });

    test.each([0, 4095, 1.5])('throws when the VLAN id is %p', (vlan) => {
      const { stack } = hostStack();
      expect(() => new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0), vlan }))
        .toThrow(/test\/Wan: 'vlan' must be a VLAN id between 1 and 4094/);
    });

    test('asks the guest for q35 and marks itself as hardware passthrough', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0), lockMemory: true });
      // WHEN
      const guest = new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // THEN
      expect(guest.configs[0]).toMatchObject({ requiresQ35: true, hardwarePassthrough: true, requiresLockedMemory: true });
    });

    test('does not lock guest memory by default', () => {
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0) });
      const guest = new FakeGuest(stack, 'Router', { host, devices: [nic] });
      expect(guest.configs[0].requiresLockedMemory).toBe(false);
    });

    test('returns the same interface when bound to the same guest twice', () => {
      // GIVEN
      const { stack, host } = hostStack(sriovInventory(1));
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0) });
      const guest = new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // WHEN
      const again = nic.bind(guest);
      // THEN
      expect(again).toBe(guest.configs[0]);
      expect(host.virtualFunctionsDrawn('ens1f0')).toBe(1);
    });

    test('throws when a VF is given to two guests on the same host, naming both', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0) });
      new FakeGuest(stack, 'RouterA', { host, devices: [nic] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'RouterB', { host, devices: [nic] }))
        .toThrow(/test\/RouterB: 'vf' must be a PCI device not already used on host test\/Host, got "0000:3b:02.0". It is already claimed by test\/RouterA/);
    });

    test('throws when two NICs of one guest use the same VF, naming both NICs', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const a = new SriovNic(stack, 'WanA', { vf: VirtualFunction.atAddress(VF0) });
      const b = new SriovNic(stack, 'WanB', { vf: VirtualFunction.atAddress(VF0) });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'Router', { host, devices: [a, b] }))
        .toThrow(/test\/WanB: 'vf' must be a PCI device that test\/Router does not already have, got "0000:3b:02.0". It was already given to that guest by test\/WanA/);
    });

    test('throws when a fixed MAC address would be shared by two guests', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Wan', {
        vf: VirtualFunction.perMember([VF0, VF1]), mac: MacAddress.of('52:54:00:aa:bb:01'),
      });
      new FakeGuest(stack, 'Node0', { host, devices: [nic] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'Node1', { host, memberIndex: 1, devices: [nic] }))
        .toThrow(/'mac' must be unset when the NIC is given to several guests.*test\/Node0 and now to test\/Node1/);
    });

    test('throws when the guest is on another host, naming both hosts', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF0), host });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'Router', { host: other, devices: [nic] }))
        .toThrow(/test\/Wan: 'vf' must be a guest on host test\/Host, where the device is, got "test\/Router". test\/Router is placed on host test\/Other/);
    });

    test('throws when the address is not one of the VFs the inventory lists for its PF', () => {
      const { stack } = hostStack(sriovInventory(2));
      expect(() => new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(PciAddress.of('0000:3b:03.0'), 'ens1f0') }))
        .toThrow(/'vf' must be one of the VFs of ens1f0 listed in the inventory of test\/Host \(0000:3b:02.0, 0000:3b:02.1\), got 0000:3b:03.0/);
    });

    test('throws when given something other than a VirtualFunction', () => {
      const { stack } = hostStack();
      expect(() => new SriovNic(stack, 'Wan', { vf: '0000:3b:02.0' as any })).toThrow(/'vf' must be a VirtualFunction/);
    });

    test('throws when given a malformed PCI address', () => {
      expect(() => VirtualFunction.atAddress(PciAddress.of('3b:02.9'))).toThrow(/PciAddress.of: 'address' must be a PCI address/);
    });
  });

  describe('VF accounting', () => {
    test('counts a VF by address against the PF whose listed VFs include it', () => {
      // GIVEN
      const { stack, host } = hostStack(sriovInventory(2));
      const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(VF1) });
      // WHEN
      new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // THEN
      expect(host.virtualFunctionsDrawn('ens1f0')).toBe(1);
    });

    test('throws when more VFs are drawn from a PF than the inventory declares', () => {
      // GIVEN: one VF from the pool, two by address, of a PF with two VFs
      const { stack, host } = hostStack(sriovInventory(2));
      const pool = new FakeSriovNetwork(stack, 'Pool', host, 'ens1f0');
      new FakeGuest(stack, 'A', { host, devices: [new SriovNic(stack, 'NicA', { vf: VirtualFunction.fromPool(pool) })] });
      new FakeGuest(stack, 'B', { host, devices: [new SriovNic(stack, 'NicB', { vf: VirtualFunction.atAddress(VF0) })] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'C', { host, devices: [new SriovNic(stack, 'NicC', { vf: VirtualFunction.atAddress(VF1) })] }))
        .toThrow(/test\/C: 'vf' must be a physical function with a free VF \(host test\/Host declares 2 on ens1f0\).*claimants: test\/A, test\/B, test\/C/);
    });

    test('counts a VF against the PF named with its address when the inventory lists no VF addresses', () => {
      // GIVEN
      const { stack, host } = hostStack(sriovInventory(1, false));
      new FakeGuest(stack, 'A', { host, devices: [new SriovNic(stack, 'NicA', { vf: VirtualFunction.atAddress(VF0, 'ens1f0') })] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'B', { host, devices: [new SriovNic(stack, 'NicB', { vf: VirtualFunction.atAddress(VF1, 'ens1f0') })] }))
        .toThrow(/declares 1 on ens1f0/);
    });
  });

  describe('in a cluster', () => {
    test('gives each member the VF at its index', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Data', { vf: VirtualFunction.perMember([VF0, VF1]) });
      // WHEN
      new FakeGuest(stack, 'Node0', { host, memberIndex: 0, devices: [nic] });
      new FakeGuest(stack, 'Node1', { host, memberIndex: 1, devices: [nic] });
      // THEN
      expect(domainOf(stack, 'Node0').devices.interfaces[0].source.hostdev.pci.address.function).toBe(0);
      expect(domainOf(stack, 'Node1').devices.interfaces[0].source.hostdev.pci.address.function).toBe(1);
    });

    test('gives each member its own MAC address', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Data', { vf: VirtualFunction.perMember([VF0, VF1]) });
      // WHEN
      new FakeGuest(stack, 'Node0', { host, memberIndex: 0, devices: [nic] });
      new FakeGuest(stack, 'Node1', { host, memberIndex: 1, devices: [nic] });
      // THEN
      expect(domainOf(stack, 'Node0').devices.interfaces[0].mac.address)
        .not.toEqual(domainOf(stack, 'Node1').devices.interfaces[0].mac.address);
    });

    test('throws when a member has no address of its own', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nic = new SriovNic(stack, 'Data', { vf: VirtualFunction.perMember([VF0]) });
      new FakeGuest(stack, 'Node0', { host, memberIndex: 0, devices: [nic] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'Node1', { host, memberIndex: 1, devices: [nic] }))
        .toThrow(/'vf' must be one VF address per cluster member \(member index 1 of test\/Node1 has none\)/);
    });

    test('throws when the per-member list repeats an address', () => {
      expect(() => VirtualFunction.perMember([VF0, VF1, VF0]))
        .toThrow(/VirtualFunction.perMember: 'addresses\[2\]' must be an address not already in the list, got 0000:3b:02.0. It is also addresses\[0\]/);
    });

    test('throws when the per-member list is empty', () => {
      expect(() => VirtualFunction.perMember([])).toThrow(/'addresses' must be a non-empty list/);
    });

    test('hands each member the next free VF of a PF', () => {
      // GIVEN
      const { stack, host } = hostStack(sriovInventory(2));
      const nic = new SriovNic(stack, 'Data', { vf: VirtualFunction.nextFree('ens1f0') });
      // WHEN
      new FakeGuest(stack, 'Node0', { host, memberIndex: 0, devices: [nic] });
      new FakeGuest(stack, 'Node1', { host, memberIndex: 1, devices: [nic] });
      // THEN
      expect(domainOf(stack, 'Node0').devices.interfaces[0].source.hostdev.pci.address.function).toBe(0);
      expect(domainOf(stack, 'Node1').devices.interfaces[0].source.hostdev.pci.address.function).toBe(1);
    });

    test('throws when a PF has no free listed VF left', () => {
      // GIVEN
      const { stack, host } = hostStack(sriovInventory(1));
      const nic = new SriovNic(stack, 'Data', { vf: VirtualFunction.nextFree('ens1f0') });
      new FakeGuest(stack, 'Node0', { host, memberIndex: 0, devices: [nic] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'Node1', { host, memberIndex: 1, devices: [nic] }))
        .toThrow(/All 1 listed VFs of ens1f0 are taken \(the last asked for by test\/Node1\)/);
    });

    test('throws when the next free VF is asked of a PF without listed VF addresses', () => {
      const { stack } = hostStack(sriovInventory(4, false));
      expect(() => new SriovNic(stack, 'Data', { vf: VirtualFunction.nextFree('ens1f0') }))
        .toThrow(/'vf' must be a PF whose VF addresses are listed in the inventory of test\/Host, got "ens1f0"/);
    });

    test('throws when the next free VF is asked of a PF missing from the inventory', () => {
      const { stack } = hostStack(sriovInventory(4));
      expect(() => new SriovNic(stack, 'Data', { vf: VirtualFunction.nextFree('ens9f9') }))
        .toThrow(/'physicalFunction' must be the name of an SR-IOV physical function in the inventory \("ens1f0"\), got "ens9f9"/);
    });
  });

  describe('a VF from a pool network', () => {
    test('attaches to the network by name with a MAC address and VLAN tag', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const pool = new FakeSriovNetwork(stack, 'Pool', host, 'ens1f0');
      const nic = new SriovNic(stack, 'Lan', { vf: VirtualFunction.fromPool(pool), vlan: 200 });
      // WHEN
      new FakeGuest(stack, 'Router', { host, devices: [nic] });
      // THEN
      const iface = domainOf(stack, 'Router').devices.interfaces[0];
      expect(iface.source).toEqual({ network: { network: 'pool' } });
      expect(iface.vlan).toEqual({ tags: [{ id: 200 }] });
      expect(iface.mac.address).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
    });

    test('draws one VF per cluster member from the network', () => {
      // GIVEN
      const { stack, host } = hostStack(sriovInventory(4));
      const pool = new FakeSriovNetwork(stack, 'Pool', host, 'ens1f0');
      const nic = new SriovNic(stack, 'Lan', { vf: VirtualFunction.fromPool(pool) });
      // WHEN
      [0, 1, 2].forEach((i) => new FakeGuest(stack, `Node${i}`, { host, memberIndex: i, devices: [nic] }));
      // THEN
      expect(host.virtualFunctionsDrawn('ens1f0')).toBe(3);
    });

    test('uses the network\'s host', () => {
      const { stack } = hostStack();
      const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
      const pool = new FakeSriovNetwork(stack, 'Pool', other, 'ens1f0');
      expect(new SriovNic(stack, 'Lan', { vf: VirtualFunction.fromPool(pool) }).host).toBe(other);
    });

    test('throws when the network is not an SR-IOV pool', () => {
      const { stack, host } = hostStack();
      const nat = new FakeSriovNetwork(stack, 'Nat', host, 'ens1f0', NetworkKind.NAT);
      expect(() => new SriovNic(stack, 'Lan', { vf: VirtualFunction.fromPool(nat) }))
        .toThrow(/test\/Lan: 'vf' must be an SR-IOV pool network \(NetworkKind.SRIOV\), got "test\/Nat". It is a nat network/);
    });

    test('throws when the guest is on another host than the network', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
      const pool = new FakeSriovNetwork(stack, 'Pool', host, 'ens1f0');
      const nic = new SriovNic(stack, 'Lan', { vf: VirtualFunction.fromPool(pool) });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'Router', { host: other, devices: [nic] })).toThrow(/must be a guest on host test\/Host/);
    });
  });

  test('synthesizes the interface through the typed bindings', () => {
    // GIVEN
    const { stack, host } = hostStack();
    const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(PciAddress.of('0000:3b:02.3')), vlan: 100 });
    // WHEN
    new FakeGuest(stack, 'Router', { host, devices: [nic] });
    // THEN
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Domain, {
      devices: expect.objectContaining({
        interfaces: [expect.objectContaining({ vlan: { tags: [{ id: 100 }] }, driver: { name: 'vfio' } })],
      }),
    });
  });
});
