import { hostStack, networkResource } from './util';
import { Ipv4Cidr, NetworkKind } from '../../src/core';
import { IsolatedNetwork, NatNetwork } from '../../src/network';

describe('NatNetwork', () => {
  test('forwards with mode nat', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    const net = new NatNetwork(stack, 'Nat', { subnet: Ipv4Cidr.of('192.168.150.0/24') });
    // THEN
    expect(net.kind).toBe(NetworkKind.NAT);
    expect(networkResource(stack, 'Nat').forward).toEqual({ mode: 'nat' });
  });

  test('addresses the subnet like every libvirt-managed network', () => {
    const { stack } = hostStack();
    new NatNetwork(stack, 'Nat', { subnet: Ipv4Cidr.of('192.168.150.0/24') });
    expect(networkResource(stack, 'Nat').ips[0]).toEqual(expect.objectContaining({ address: '192.168.150.1', prefix: 24 }));
  });

  test('NATs through the given uplink', () => {
    const { stack } = hostStack();
    new NatNetwork(stack, 'Nat', { subnet: Ipv4Cidr.of('192.168.150.0/24'), uplink: 'eno1' });
    expect(networkResource(stack, 'Nat').forward).toEqual({ mode: 'nat', dev: 'eno1' });
  });

  test('throws when the uplink is not an interface name', () => {
    const { stack } = hostStack();
    expect(() => new NatNetwork(stack, 'Nat', { subnet: Ipv4Cidr.of('192.168.150.0/24'), uplink: 'eno 1' }))
      .toThrow(/Test\/Nat: 'uplink' must be a host interface name of 1-15 characters/);
  });

  test('throws when its subnet overlaps another kind of network on the host', () => {
    const { stack } = hostStack();
    new IsolatedNetwork(stack, 'Lab', { subnet: Ipv4Cidr.of('192.168.150.128/25') });
    expect(() => new NatNetwork(stack, 'Nat', { subnet: Ipv4Cidr.of('192.168.150.0/24') }))
      .toThrow(/It overlaps 192.168.150.128\/25 of Test\/Lab/);
  });
});
