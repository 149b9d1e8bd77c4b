import { FakeGuest, hostStack, networkResource, resolve } from './util';
import { Ipv4Cidr, Ipv6Cidr, LibvirtHost, MacAddress } from '../../src/core';
import { BridgedNetwork, DhcpRange, IsolatedNetwork } from '../../src/network';

function lab(subnet = '10.10.0.0/24', dhcp?: DhcpRange) {
  const { stack, host } = hostStack();
  const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of(subnet), dhcp });
  const guest = (name: string) => new FakeGuest(stack, name, host);
  return { stack, host, net, guest };
}

describe('NetworkBase address allocation', () => {
  test('hands out the static range in call order, starting after the gateway', () => {
    // GIVEN
    const { net, guest } = lab();
    // WHEN
    const a = net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a' });
    const b = net.reserveAddress({ claimant: guest('B'), mac: MacAddress.derive('b'), hostname: 'b' });
    // THEN
    expect([a, b]).toEqual(['10.10.0.2', '10.10.0.3']);
  });

  test('gives the same addresses on every synth of the same app', () => {
    const run = () => {
      const { net, guest } = lab();
      return ['A', 'B', 'C'].map((n) => net.reserveAddress({ claimant: guest(n), mac: MacAddress.derive(n), hostname: n.toLowerCase() }));
    };
    expect(run()).toEqual(run());
  });

  test('skips addresses already leased explicitly', () => {
    // GIVEN
    const { net, guest } = lab();
    net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a', address: '10.10.0.2' });
    // WHEN
    const b = net.reserveAddress({ claimant: guest('B'), mac: MacAddress.derive('b'), hostname: 'b' });
    // THEN
    expect(b).toBe('10.10.0.3');
  });

  test('skips a gateway in the middle of the static range', () => {
    const { stack, host } = hostStack();
    const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), gateway: '10.10.0.2' });
    const first = net.reserveAddress({ claimant: new FakeGuest(stack, 'A', host), mac: MacAddress.derive('a'), hostname: 'a' });
    const second = net.reserveAddress({ claimant: new FakeGuest(stack, 'B', host), mac: MacAddress.derive('b'), hostname: 'b' });
    expect([first, second]).toEqual(['10.10.0.1', '10.10.0.3']);
  });

  test('never hands out an address of the DHCP range', () => {
    // GIVEN a /29: hosts .1-.6, gateway .1, DHCP .4-.6
    const { net, guest } = lab('10.10.0.0/29');
    // WHEN
    const got = ['A', 'B'].map((n) => net.reserveAddress({ claimant: guest(n), mac: MacAddress.derive(n), hostname: n.toLowerCase() }));
    // THEN
    expect(got).toEqual(['10.10.0.2', '10.10.0.3']);
  });

  test('uses the whole subnet but the gateway when DHCP is disabled', () => {
    const { net, guest } = lab('10.10.0.0/30', DhcpRange.disabled());
    expect(net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a' })).toBe('10.10.0.2');
  });

  test('renders static leases as DHCP hosts sorted by address', () => {
    // GIVEN
    const { stack, net, guest } = lab();
    // WHEN
    net.reserveAddress({ claimant: guest('B'), mac: MacAddress.of('52:54:00:00:00:0b'), hostname: 'b', address: '10.10.0.20' });
    net.addStaticLease({ mac: MacAddress.of('52:54:00:00:00:0a'), hostname: 'a' });
    // THEN
    expect(networkResource(stack, 'LabNet').ips[0].dhcp.hosts).toEqual([
      { mac: '52:54:00:00:00:0a', name: 'a', ip: '10.10.0.2' },
      { mac: '52:54:00:00:00:0b', name: 'b', ip: '10.10.0.20' },
    ]);
  });

  test('renders static leases on a network without a DHCP range', () => {
    const { stack, net } = lab('10.10.0.0/24', DhcpRange.disabled());
    net.addStaticLease({ mac: MacAddress.of('52:54:00:00:00:0a'), hostname: 'a' });
    expect(networkResource(stack, 'LabNet').ips[0].dhcp).toEqual({ hosts: [{ mac: '52:54:00:00:00:0a', name: 'a', ip: '10.10.0.2' }] });
  });

  test('registers a DNS host record for each reservation', () => {
    const { stack, net, guest } = lab();
    net.reserveAddress({ claimant: guest('Web'), mac: MacAddress.derive('web'), hostname: 'web' });
    expect(networkResource(stack, 'LabNet').dns).toEqual({ host: [{ ip: '10.10.0.2', hostnames: [{ hostname: 'web' }] }] });
  });

  test('registers no DNS record when the network runs no DNS', () => {
    const { stack, host } = hostStack();
    const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), dns: false });
    net.reserveAddress({ claimant: new FakeGuest(stack, 'Web', host), mac: MacAddress.derive('web'), hostname: 'web' });
    expect(networkResource(stack, 'LabNet').dns).toEqual({ enable: 'no' });
  });

  test('renders DNS host records sorted by address, IPv4 before IPv6', () => {
    // GIVEN
    const { stack } = hostStack();
    const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10::/64') });
    // WHEN
    net.addDnsHost({ address: 'fd00:10::0:20', hostnames: ['nas6'] });
    net.addDnsHost({ address: '10.10.0.100', hostnames: ['nas', 'files'] });
    net.addDnsHost({ address: '10.10.0.9', hostnames: ['gw2'] });
    // THEN
    expect(networkResource(stack, 'LabNet').dns.host).toEqual([
      { ip: '10.10.0.9', hostnames: [{ hostname: 'gw2' }] },
      { ip: '10.10.0.100', hostnames: [{ hostname: 'nas' }, { hostname: 'files' }] },
      { ip: 'fd00:10::20', hostnames: [{ hostname: 'nas6' }] },
    ]);
  });

  describe('checks', () => {
    test('throws when an explicit address is outside the subnet', () => {
      const { net, guest } = lab();
      expect(() => net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a', address: '10.10.1.5' }))
        .toThrow(/Test\/A: 'address' must be an address inside 10.10.0.0\/24 \(the subnet of Test\/LabNet\), got "10.10.1.5"/);
    });

    test('throws when an explicit address is the gateway', () => {
      const { net, guest } = lab();
      expect(() => net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a', address: '10.10.0.1' }))
        .toThrow(/'address' must be an address other than the gateway 10.10.0.1 of Test\/LabNet/);
    });

    test('throws when an explicit address is in the DHCP range', () => {
      const { net, guest } = lab();
      expect(() => net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a', address: '10.10.0.200' }))
        .toThrow(/'address' must be an address outside the DHCP range 10.10.0.128-10.10.0.254 of Test\/LabNet/);
    });

    test('throws when an explicit address is the broadcast address', () => {
      const { net, guest } = lab('10.10.0.0/24', DhcpRange.disabled());
      expect(() => net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a', address: '10.10.0.255' }))
        .toThrow(/'address' must be a host address of 10.10.0.0\/24, not its network or broadcast address/);
    });

    test('throws when an explicit address is not an IPv4 address', () => {
      const { net, guest } = lab();
      expect(() => net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a', address: 'ten' }))
        .toThrow(/'address' must be an IPv4 address, got "ten"/);
    });

    test('throws naming both claimants when an address is leased twice', () => {
      // GIVEN
      const { net, guest } = lab();
      net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a', address: '10.10.0.7' });
      // WHEN / THEN
      expect(() => net.reserveAddress({ claimant: guest('B'), mac: MacAddress.derive('b'), hostname: 'b', address: '10.10.0.7' }))
        .toThrow(/Test\/B: 'address' must be an address not already leased on network Test\/LabNet, got "10.10.0.7". It is already leased to Test\/A./);
    });

    test('throws naming both claimants when a MAC address is leased twice', () => {
      const { net, guest } = lab();
      net.reserveAddress({ claimant: guest('A'), mac: MacAddress.of('52:54:00:00:00:01'), hostname: 'a' });
      expect(() => net.reserveAddress({ claimant: guest('B'), mac: MacAddress.of('52:54:00:00:00:01'), hostname: 'b' }))
        .toThrow(/Test\/B: 'mac' must be a MAC address not already leased on network Test\/LabNet, got "52:54:00:00:00:01". It is already leased to Test\/A./);
    });

    test('names the static lease when a guest takes its address', () => {
      const { net, guest } = lab();
      net.addStaticLease({ mac: MacAddress.derive('printer'), hostname: 'printer', address: '10.10.0.9' });
      expect(() => net.reserveAddress({ claimant: guest('B'), mac: MacAddress.derive('b'), hostname: 'b', address: '10.10.0.9' }))
        .toThrow(/It is already leased to the static lease "printer" of Test\/LabNet./);
    });

    test('throws naming the network, subnet and DHCP range when the static range is exhausted', () => {
      // GIVEN a /29: static .2-.3 only
      const { net, guest } = lab('10.10.0.0/29');
      net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'a' });
      net.reserveAddress({ claimant: guest('B'), mac: MacAddress.derive('b'), hostname: 'b' });
      // WHEN / THEN
      expect(() => net.reserveAddress({ claimant: guest('C'), mac: MacAddress.derive('c'), hostname: 'c' }))
        .toThrow(/Test\/C: 'network' must be a network with a free static address, got "Test\/LabNet". Test\/LabNet \(10.10.0.0\/29\) has no free address left outside the gateway 10.10.0.1 and the DHCP range 10.10.0.4-10.10.0.6; 2 static leases are taken./);
    });

    test('throws when the host name is not a DNS name', () => {
      const { net, guest } = lab();
      expect(() => net.reserveAddress({ claimant: guest('A'), mac: MacAddress.derive('a'), hostname: 'web_1' }))
        .toThrow(/Test\/A: 'hostname' must be a DNS name/);
    });

    test('throws when an address is reserved on a network libvirt does not address', () => {
      const { stack, host } = hostStack();
      const lan = new BridgedNetwork(stack, 'Lan', { bridge: 'br0' });
      expect(() => lan.reserveAddress({ claimant: new FakeGuest(stack, 'A', host), mac: MacAddress.derive('a'), hostname: 'a' }))
        .toThrow(/Test\/A: 'network' must be a network whose addresses libvirt manages \(IsolatedNetwork, NatNetwork or RoutedNetwork\), got "Test\/Lan"/);
    });

    test('throws when a DNS host is added to a network without DNS', () => {
      const { stack } = hostStack();
      const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), dns: false });
      expect(() => net.addDnsHost({ address: '10.10.0.50', hostnames: ['nas'] })).toThrow(/'dns' must be true to add DNS host records/);
    });

    test('throws when a DNS host record has a malformed address', () => {
      const { net } = lab();
      expect(() => net.addDnsHost({ address: '10.10.0.500', hostnames: ['nas'] })).toThrow(/'address' must be an IPv4 or IPv6 address/);
    });

    test('throws when a DNS host record has a malformed host name', () => {
      const { net } = lab();
      expect(() => net.addDnsHost({ address: '10.10.0.50', hostnames: ['-nas'] })).toThrow(/Test\/LabNet: 'hostnames' must be a DNS name/);
    });

    test('throws when the MAC is not a MacAddress', () => {
      const { net, guest } = lab();
      expect(() => net.reserveAddress({ claimant: guest('A'), mac: '52:54:00:00:00:01' as any, hostname: 'a' }))
        .toThrow(/Test\/A: 'mac' must be a MacAddress/);
    });

    test('throws when a DNS host record has no host names', () => {
      const { net } = lab();
      expect(() => net.addDnsHost({ address: '10.10.0.50', hostnames: [] })).toThrow(/'hostnames' must be a list of at least one host name/);
    });
  });

  describe('attach', () => {
    test('returns a virtio NIC on the network by name reference', () => {
      // GIVEN
      const { stack, net, guest } = lab();
      // WHEN
      const nic = net.attach(guest('A'));
      // THEN
      expect(nic.interface.model).toEqual({ type: 'virtio' });
      expect(resolve(stack, nic.interface.source?.network?.network)).toMatch(/^\$\{libvirt_network\.LabNet_[0-9A-F]{8}\.name\}$/);
    });

    test('throws naming both hosts when the guest is on another host', () => {
      const { stack, net } = lab();
      const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
      expect(() => net.attach(new FakeGuest(stack, 'Far', other)))
        .toThrow(/Test\/Far: 'network' must be a network on the guest's host Test\/Other, got "Test\/LabNet". Test\/LabNet is on host Test\/Host./);
    });
  });
});
