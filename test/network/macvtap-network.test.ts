import { FakeGuest, hostStack, networkResource } from './util';
import { NetworkKind } from '../../src/core';
import { MacvtapMode, MacvtapNetwork } from '../../src/network';

describe('MacvtapNetwork', () => {
  test('defaults to bridge mode over the device pool', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    const net = new MacvtapNetwork(stack, 'Direct', { devices: ['eno1', 'eno2'] });
    // THEN
    expect(net.kind).toBe(NetworkKind.MACVTAP);
    expect(networkResource(stack, 'Direct').forward).toEqual({ mode: 'bridge', interfaces: [{ dev: 'eno1' }, { dev: 'eno2' }] });
  });

  test('renders the chosen mode', () => {
    const { stack } = hostStack();
    new MacvtapNetwork(stack, 'Direct', { devices: ['eno1'], mode: MacvtapMode.VEPA });
    expect(networkResource(stack, 'Direct').forward.mode).toBe('vepa');
  });

  test('trusts guest RX filters when asked', () => {
    const { stack } = hostStack();
    new MacvtapNetwork(stack, 'Direct', { devices: ['eno1'], trustGuestRxFilters: true });
    expect(networkResource(stack, 'Direct').trust_guest_rx_filters).toBe('yes');
  });

  test('leaves guest RX filters untrusted by default', () => {
    const { stack } = hostStack();
    new MacvtapNetwork(stack, 'Direct', { devices: ['eno1'] });
    expect(networkResource(stack, 'Direct').trust_guest_rx_filters).toBeUndefined();
  });

  test('attaches as many passthrough NICs as it has devices', () => {
    const { stack, host } = hostStack();
    const net = new MacvtapNetwork(stack, 'Direct', { devices: ['eno1', 'eno2'], mode: MacvtapMode.PASSTHROUGH });
    expect(() => ['A', 'B'].forEach((n) => net.attach(new FakeGuest(stack, n, host)))).not.toThrow();
  });

  test('throws when more passthrough NICs attach than it has devices', () => {
    // GIVEN
    const { stack, host } = hostStack();
    const net = new MacvtapNetwork(stack, 'Direct', { devices: ['eno1'], mode: MacvtapMode.PASSTHROUGH });
    net.attach(new FakeGuest(stack, 'A', host));
    // WHEN / THEN
    expect(() => net.attach(new FakeGuest(stack, 'B', host)))
      .toThrow(/Test\/B: 'network' must be a passthrough network with a free device \(Test\/Direct has 1: eno1\), got "Test\/Direct". NIC number 2 was attached/);
  });

  test('lets any number of NICs share a device in bridge mode', () => {
    const { stack, host } = hostStack();
    const net = new MacvtapNetwork(stack, 'Direct', { devices: ['eno1'] });
    expect(() => ['A', 'B', 'C'].forEach((n) => net.attach(new FakeGuest(stack, n, host)))).not.toThrow();
  });

  test('throws when no device is given', () => {
    const { stack } = hostStack();
    expect(() => new MacvtapNetwork(stack, 'Direct', { devices: [] }))
      .toThrow(/Test\/Direct: 'devices' must be a list of at least one host interface name, got \[\]/);
  });

  test('throws when a device is listed twice', () => {
    const { stack } = hostStack();
    expect(() => new MacvtapNetwork(stack, 'Direct', { devices: ['eno1', 'eno1'] }))
      .toThrow(/'devices' must be a list without duplicates.*"eno1" is listed twice/);
  });

  test('throws when the mode is unknown', () => {
    const { stack } = hostStack();
    expect(() => new MacvtapNetwork(stack, 'Direct', { devices: ['eno1'], mode: 'nat' as MacvtapMode }))
      .toThrow(/'mode' must be one of bridge, vepa, private, passthrough, got "nat"/);
  });
});
