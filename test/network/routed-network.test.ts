import { hostStack, networkResource } from './util';
import { Ipv4Cidr, NetworkKind } from '../../src/core';
import { RoutedNetwork } from '../../src/network';

describe('RoutedNetwork', () => {
  test('forwards with mode route', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    const net = new RoutedNetwork(stack, 'Routed', { subnet: Ipv4Cidr.of('10.20.0.0/24') });
    // THEN
    expect(net.kind).toBe(NetworkKind.ROUTED);
    expect(networkResource(stack, 'Routed').forward).toEqual({ mode: 'route' });
  });

  test('routes through the given uplink', () => {
    const { stack } = hostStack();
    new RoutedNetwork(stack, 'Routed', { subnet: Ipv4Cidr.of('10.20.0.0/24'), uplink: 'eno1' });
    expect(networkResource(stack, 'Routed').forward).toEqual({ mode: 'route', dev: 'eno1' });
  });

  test('throws when the uplink is longer than 15 characters', () => {
    const { stack } = hostStack();
    expect(() => new RoutedNetwork(stack, 'Routed', { subnet: Ipv4Cidr.of('10.20.0.0/24'), uplink: 'enp129s0f0np0xyz' }))
      .toThrow(/'uplink' must be a host interface name of 1-15 characters \(IFNAMSIZ\)/);
  });
});
