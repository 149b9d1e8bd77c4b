import { FakeGuest, hostStack } from './util';
import { Ipv4Cidr, LibvirtHost, MacAddress, NetworkKind } from '../../src/core';
import { ExistingNetwork, IsolatedNetwork } from '../../src/network';

describe('ExistingNetwork', () => {
  test('attaches guests as virtio NICs on the network by its literal name', () => {
    // GIVEN
    const { stack, host } = hostStack();
    const def = ExistingNetwork.fromNetworkName(stack, 'Default', 'default');
    // WHEN
    const nic = def.attach(new FakeGuest(stack, 'Vm', host));
    // THEN
    expect(nic.interface).toEqual({ model: { type: 'virtio' }, source: { network: { network: 'default' } } });
    expect(def.kind).toBe(NetworkKind.NAT);
  });

  test('attaches SR-IOV NICs without a model', () => {
    const { stack, host } = hostStack();
    const pool = ExistingNetwork.fromNetworkName(stack, 'Pool', 'sriov-pool', { kind: NetworkKind.SRIOV });
    expect(pool.attach(new FakeGuest(stack, 'Vm', host)).interface).toEqual({ source: { network: { network: 'sriov-pool' } } });
  });

  test('throws when the app defines a network with the same name on the host', () => {
    const { stack } = hostStack();
    ExistingNetwork.fromNetworkName(stack, 'Default', 'default');
    expect(() => new IsolatedNetwork(stack, 'Lab', { networkName: 'default', subnet: Ipv4Cidr.of('10.10.0.0/24') }))
      .toThrow(/Test\/Lab: 'networkName' must be a network name not already used on host Test\/Host, got "default". It is already claimed by Test\/Default./);
  });

  test('throws when a defined network overlaps its declared subnet', () => {
    const { stack } = hostStack();
    ExistingNetwork.fromNetworkName(stack, 'Default', 'default', { subnet: Ipv4Cidr.of('192.168.122.0/24') });
    expect(() => new IsolatedNetwork(stack, 'Lab', { subnet: Ipv4Cidr.of('192.168.0.0/16') }))
      .toThrow(/Test\/Lab: 'subnet' must be a subnet that overlaps no other network.*It overlaps 192.168.122.0\/24 of Test\/Default./);
  });

  test('throws when an address is reserved on it', () => {
    const { stack, host } = hostStack();
    const def = ExistingNetwork.fromNetworkName(stack, 'Default', 'default');
    expect(() => def.reserveAddress({ claimant: new FakeGuest(stack, 'Vm', host), mac: MacAddress.derive('vm'), hostname: 'vm' }))
      .toThrow(/Test\/Vm: 'network' must be a network this app defines, to reserve a static address on it, got "Test\/Default"/);
  });

  test('throws naming both hosts when the guest is on another host', () => {
    const { stack, host } = hostStack();
    const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
    const def = ExistingNetwork.fromNetworkName(stack, 'Default', 'default', { host });
    expect(() => def.attach(new FakeGuest(stack, 'Far', other)))
      .toThrow(/Test\/Far: 'network' must be a network on the guest's host Test\/Other, got "Test\/Default". Test\/Default is on host Test\/Host./);
  });

  test('throws when the kind is unknown', () => {
    const { stack } = hostStack();
    expect(() => ExistingNetwork.fromNetworkName(stack, 'Default', 'default', { kind: 'mesh' as NetworkKind }))
      .toThrow(/Test\/Default: 'kind' must be one of isolated, nat, routed, bridged, macvtap, sriov, got "mesh"/);
  });
});
