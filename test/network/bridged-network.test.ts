import { FakeGuest, hostStack, networkResource, resolve } from './util';
import { Ipv4Cidr, NetworkKind } from '../../src/core';
import { BridgedNetwork, IsolatedNetwork } from '../../src/network';

describe('BridgedNetwork', () => {
  test('renders a libvirt network with forward mode bridge over the host bridge', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    const net = new BridgedNetwork(stack, 'Lan', { bridge: 'br0' });
    // THEN
    const res = networkResource(stack, 'Lan');
    expect(net.kind).toBe(NetworkKind.BRIDGED);
    expect(res.forward).toEqual({ mode: 'bridge' });
    expect(res.bridge).toEqual({ name: 'br0' });
    expect(res.virtual_port).toBeUndefined();
  });

  test('manages no addresses, DHCP or DNS', () => {
    const { stack } = hostStack();
    const net = new BridgedNetwork(stack, 'Lan', { bridge: 'br0' });
    const res = networkResource(stack, 'Lan');
    expect(net.ipv4Subnet).toBeUndefined();
    expect(res.ips).toBeUndefined();
    expect(res.dns).toBeUndefined();
  });

  test('adds an Open vSwitch virtual port when the bridge is OVS', () => {
    const { stack } = hostStack();
    new BridgedNetwork(stack, 'Ovs', { bridge: 'ovsbr0', openVSwitch: true });
    expect(networkResource(stack, 'Ovs').virtual_port).toEqual({ params: { open_v_switch: {} } });
  });

  test('attaches guests as virtio NICs on the network', () => {
    const { stack, host } = hostStack();
    const net = new BridgedNetwork(stack, 'Lan', { bridge: 'br0' });
    const nic = net.attach(new FakeGuest(stack, 'Vm', host));
    expect(nic.interface.model).toEqual({ type: 'virtio' });
    expect(resolve(stack, nic.interface.source)).toEqual({ network: { network: expect.stringMatching(/^\$\{libvirt_network\.Lan_[0-9A-F]{8}\.name\}$/) } });
  });

  test('throws when another network on the host uses the same bridge', () => {
    const { stack } = hostStack();
    new IsolatedNetwork(stack, 'Lab', { subnet: Ipv4Cidr.of('10.10.0.0/24'), bridgeName: 'br0' });
    expect(() => new BridgedNetwork(stack, 'Lan', { bridge: 'br0' }))
      .toThrow(/Test\/Lan: 'bridge' must be a bridge name not already used on host Test\/Host, got "br0". It is already claimed by Test\/Lab./);
  });

  test('throws when the bridge name is longer than 15 characters', () => {
    const { stack } = hostStack();
    expect(() => new BridgedNetwork(stack, 'Lan', { bridge: 'bridge-to-the-lan' }))
      .toThrow(/'bridge' must be a host interface name of 1-15 characters \(IFNAMSIZ\)/);
  });

  test('throws when a DNS host is added', () => {
    const { stack } = hostStack();
    const net = new BridgedNetwork(stack, 'Lan', { bridge: 'br0' });
    expect(() => net.addDnsHost({ address: '192.168.1.10', hostnames: ['nas'] }))
      .toThrow(/Test\/Lan: 'addDnsHost' must be called on a network whose addresses libvirt manages.*Test\/Lan is a bridged network/);
  });
});
