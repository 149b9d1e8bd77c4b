import { Testing } from 'cdktf';
import { hostStack, networkResource, synthJson } from './util';
import { Ipv4Cidr, Ipv6Cidr, LibvirtHost, MacAddress, NetworkKind } from '../../src/core';
import { Network } from '../../src/imports/libvirt/network';
import { DhcpRange, IsolatedNetwork } from '../../src/network';

describe('IsolatedNetwork', () => {
  test('renders a network without forward, with the gateway, prefix and default DHCP range', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
    // THEN
    const net = networkResource(stack, 'LabNet');
    expect(net.forward).toBeUndefined();
    expect(net.ips).toEqual([{
      family: 'ipv4',
      address: '10.10.0.1',
      prefix: 24,
      dhcp: { ranges: [{ start: '10.10.0.128', end: '10.10.0.254' }] },
    }]);
  });

  test('names the network after the construct id and uses the host provider', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
    // THEN
    expect(Testing.synth(stack)).toHaveResourceWithProperties(Network, { name: 'lab-net', provider: 'libvirt.host', autostart: true });
  });

  test('exposes the kind, subnet and gateway', () => {
    const { stack } = hostStack();
    const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
    expect(net.kind).toBe(NetworkKind.ISOLATED);
    expect(net.ipv4Subnet?.toString()).toBe('10.10.0.0/24');
    expect(net.gatewayAddress).toBe('10.10.0.1');
    expect(net.networkName).toBe('lab-net');
  });

  test('names the main resource Resource', () => {
    const { stack } = hostStack();
    const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
    expect(net.node.defaultChild).toBe(net.resource);
  });

  test('takes an explicit gateway, DHCP range, name and autostart', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    new IsolatedNetwork(stack, 'LabNet', {
      networkName: 'lab',
      autostart: false,
      subnet: Ipv4Cidr.of('10.10.0.0/24'),
      gateway: '10.10.0.254',
      dhcp: DhcpRange.between('10.10.0.100', '10.10.0.199'),
    });
    // THEN
    const net = networkResource(stack, 'LabNet');
    expect(net.name).toBe('lab');
    expect(net.autostart).toBe(false);
    expect(net.ips[0].address).toBe('10.10.0.254');
    expect(net.ips[0].dhcp.ranges).toEqual([{ start: '10.10.0.100', end: '10.10.0.199' }]);
  });

  test('shortens the default DHCP range when the gateway is the last host address', () => {
    const { stack } = hostStack();
    new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), gateway: '10.10.0.254' });
    expect(networkResource(stack, 'LabNet').ips[0].dhcp.ranges).toEqual([{ start: '10.10.0.128', end: '10.10.0.253' }]);
  });

  test('omits the DHCP block when DHCP is disabled and there are no leases', () => {
    const { stack } = hostStack();
    new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), dhcp: DhcpRange.disabled() });
    expect(networkResource(stack, 'LabNet').ips[0].dhcp).toBeUndefined();
  });

  test('adds an IPv6 subnet with its gateway and an optional DHCPv6 range', () => {
    // GIVEN
    const { stack } = hostStack();
    // WHEN
    new IsolatedNetwork(stack, 'LabNet', {
      subnet: Ipv4Cidr.of('10.10.0.0/24'),
      ipv6Subnet: Ipv6Cidr.of('fd00:10::/64'),
      ipv6Dhcp: DhcpRange.between('fd00:10::100', 'fd00:10::1ff'),
    });
    // THEN
    expect(networkResource(stack, 'LabNet').ips[1]).toEqual({
      family: 'ipv6',
      address: 'fd00:10::1',
      prefix: 64,
      dhcp: { ranges: [{ start: 'fd00:10::100', end: 'fd00:10::1ff' }] },
    });
  });

  test('renders the domain as answered locally, the MTU and the bridge name', () => {
    const { stack } = hostStack();
    new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), domain: 'lab.internal', mtu: 9000, bridgeName: 'virbr-lab' });
    const net = networkResource(stack, 'LabNet');
    expect(net.domain).toEqual({ name: 'lab.internal', local_only: 'yes' });
    expect(net.mtu).toEqual({ size: 9000 });
    expect(net.bridge).toEqual({ name: 'virbr-lab' });
  });

  test('turns the DNS server off when dns is false', () => {
    const { stack } = hostStack();
    new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), dns: false });
    expect(networkResource(stack, 'LabNet').dns).toEqual({ enable: 'no' });
  });

  test('matches the snapshot of the whole shape', () => {
    const { stack } = hostStack();
    const net = new IsolatedNetwork(stack, 'LabNet', {
      subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10::/64'), domain: 'lab.internal',
    });
    net.addStaticLease({ mac: MacAddress.of('52:54:00:00:00:10'), hostname: 'printer' });
    expect(synthJson(stack)).toMatchSnapshot();
  });

  test('passes a full synth, validations included', () => {
    const { stack } = hostStack();
    new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });

  describe('replace on change', () => {
    /** The digest recorded for the stack's only network; throws when there is none. */
    const digestOf = (json: any): string => {
      const [networkId] = Object.keys(json.resource.libvirt_network);
      const digest = JSON.parse(json.resource.terraform_data.LibvirtReplaceTriggers.input[networkId]).digest;
      if (typeof digest !== 'string') throw new Error(`no digest recorded for ${networkId}`);
      return digest;
    };

    test('points replace_triggered_by at its digest in the stack\'s terraform_data, as a plain address', () => {
      // GIVEN
      const { stack } = hostStack();
      // WHEN
      new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
      // THEN
      const json = synthJson(stack);
      const [networkId] = Object.keys(json.resource.libvirt_network);
      expect(Object.keys(json.resource.terraform_data)).toEqual(['LibvirtReplaceTriggers']);
      expect(digestOf(json)).toMatch(/^[0-9A-F]{32}$/);
      expect(networkResource(stack, 'LabNet').lifecycle)
        .toEqual({ replace_triggered_by: [`terraform_data.LibvirtReplaceTriggers.input.${networkId}`] });
    });

    test('changes the digest when a static lease is added', () => {
      // GIVEN
      const digest = (withLease: boolean): string => {
        const { stack } = hostStack();
        const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
        if (withLease) net.addStaticLease({ mac: MacAddress.of('52:54:00:00:00:10'), hostname: 'printer' });
        return digestOf(synthJson(stack));
      };
      // WHEN / THEN
      expect(digest(true)).not.toBe(digest(false));
      expect(digest(false)).toBe(digest(false));
    });

    test('keeps the digest when only autostart changes', () => {
      const digest = (autostart: boolean): string => {
        const { stack } = hostStack();
        new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), autostart });
        return digestOf(synthJson(stack));
      };
      expect(digest(true)).toBe(digest(false));
    });

    test('creates no trigger when replaceOnChange is false', () => {
      const { stack } = hostStack();
      const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), replaceOnChange: false });
      expect(net.replaceTrigger).toBeUndefined();
      expect(synthJson(stack).resource.terraform_data).toBeUndefined();
      expect(networkResource(stack, 'LabNet').lifecycle).toBeUndefined();
    });
  });

  describe('checks', () => {
    test('throws when the subnet is not network-aligned', () => {
      expect(() => Ipv4Cidr.of('10.10.0.5/24')).toThrow(/'cidr' must be an IPv4 network in CIDR notation.*Did you mean "10.10.0.0\/24"/);
    });

    test('throws when the subnet is malformed', () => {
      expect(() => Ipv4Cidr.of('10.10.0/24')).toThrow(/'cidr' must be an IPv4 network in CIDR notation/);
    });

    test('throws when the subnet is smaller than a /30', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/31') }))
        .toThrow(/Test\/LabNet: 'subnet' must be an IPv4 subnet of \/30 or larger/);
    });

    test('throws when the gateway is outside the subnet', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), gateway: '10.10.1.1' }))
        .toThrow(/'gateway' must be an IPv4 address inside 10.10.0.0\/24, got "10.10.1.1"/);
    });

    test('throws when the gateway is the broadcast address', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24'), gateway: '10.10.0.255' }))
        .toThrow(/'gateway' must be a host address of 10.10.0.0\/24, not its network or broadcast address/);
    });

    test('throws when the DHCP range is outside the subnet', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', {
        subnet: Ipv4Cidr.of('10.10.0.0/24'), dhcp: DhcpRange.between('10.10.0.100', '10.10.1.20'),
      })).toThrow(/'dhcp' must be a range inside the subnet 10.10.0.0\/24, got "10.10.0.100-10.10.1.20". "10.10.1.20" is not an address of/);
    });

    test('throws when the DHCP range starts after it ends', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', {
        subnet: Ipv4Cidr.of('10.10.0.0/24'), dhcp: DhcpRange.between('10.10.0.200', '10.10.0.100'),
      })).toThrow(/'dhcp' must be a range whose start is not after its end/);
    });

    test('throws when the DHCP range includes the gateway', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', {
        subnet: Ipv4Cidr.of('10.10.0.0/24'), dhcp: DhcpRange.between('10.10.0.1', '10.10.0.100'),
      })).toThrow(/'dhcp' must be a range that leaves out the gateway 10.10.0.1/);
    });

    test('throws when the IPv6 DHCP range is outside the IPv6 subnet', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', {
        subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10::/64'), ipv6Dhcp: DhcpRange.between('fd00:11::1', 'fd00:11::9'),
      })).toThrow(/'ipv6Dhcp' must be a range inside the subnet fd00:10::\/64/);
    });

    test('throws when the IPv6 DHCP range is the IPv4-only upper half', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'LabNet', {
        subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10::/64'), ipv6Dhcp: DhcpRange.upperHalf(),
      })).toThrow(/'ipv6Dhcp' must be DhcpRange.between\(start, end\) or DhcpRange.disabled\(\)/);
    });

    test('throws when two networks on the same host have overlapping subnets', () => {
      // GIVEN
      const { stack } = hostStack();
      new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/16') });
      // WHEN / THEN
      expect(() => new IsolatedNetwork(stack, 'B', { subnet: Ipv4Cidr.of('10.10.5.0/24') }))
        .toThrow(/Test\/B: 'subnet' must be a subnet that overlaps no other network on host Test\/Host, got "10.10.5.0\/24". It overlaps 10.10.0.0\/16 of Test\/A./);
    });

    test('throws when two networks on the same host have overlapping IPv6 subnets', () => {
      const { stack } = hostStack();
      new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10::/48') });
      expect(() => new IsolatedNetwork(stack, 'B', { subnet: Ipv4Cidr.of('10.11.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10:0:1::/64') }))
        .toThrow(/'ipv6Subnet' must be a subnet that overlaps no other network.*It overlaps fd00:10::\/48 of Test\/A/);
    });

    test('allows the same subnet on two different hosts', () => {
      const { stack, host } = hostStack();
      const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
      new IsolatedNetwork(stack, 'A', { host, subnet: Ipv4Cidr.of('10.10.0.0/24') });
      expect(() => new IsolatedNetwork(stack, 'B', { host: other, subnet: Ipv4Cidr.of('10.10.0.0/24') })).not.toThrow();
    });

    test('throws when two networks on the same host have the same name', () => {
      const { stack } = hostStack();
      new IsolatedNetwork(stack, 'A', { networkName: 'lab', subnet: Ipv4Cidr.of('10.10.0.0/24') });
      expect(() => new IsolatedNetwork(stack, 'B', { networkName: 'lab', subnet: Ipv4Cidr.of('10.11.0.0/24') }))
        .toThrow(/Test\/B: 'networkName' must be a network name not already used on host Test\/Host, got "lab". It is already claimed by Test\/A./);
    });

    test('throws when two networks on the same host use the same bridge name', () => {
      const { stack } = hostStack();
      new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), bridgeName: 'virbr-lab' });
      expect(() => new IsolatedNetwork(stack, 'B', { subnet: Ipv4Cidr.of('10.11.0.0/24'), bridgeName: 'virbr-lab' }))
        .toThrow(/Test\/B: 'bridgeName' must be a bridge name not already used on host Test\/Host, got "virbr-lab". It is already claimed by Test\/A./);
    });

    test('throws when the bridge name is longer than 15 characters', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), bridgeName: 'virbr-very-long-name' }))
        .toThrow(/'bridgeName' must be a host interface name of 1-15 characters \(IFNAMSIZ\)/);
    });

    test('throws when the network name has invalid characters', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', { networkName: 'lab net', subnet: Ipv4Cidr.of('10.10.0.0/24') }))
        .toThrow(/'networkName' must be 1-64 characters of letters, digits/);
    });

    test('throws when the domain is not a DNS name', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), domain: 'lab_internal' }))
        .toThrow(/'domain' must be a DNS name/);
    });

    test('throws when the MTU is out of range', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), mtu: 10 }))
        .toThrow(/'mtu' must be an integer between 68 and 65535, got 10/);
    });

    test('throws when the subnet is missing', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', {} as any))
        .toThrow(/Test\/A: 'subnet' must be an Ipv4Cidr, e.g. Ipv4Cidr.of\("10.10.0.0\/24"\), got undefined/);
    });

    test('throws when the DHCP range starts at the network address', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), dhcp: DhcpRange.between('10.10.0.0', '10.10.0.50') }))
        .toThrow(/'dhcp' must be a range of host addresses of 10.10.0.0\/24, got "10.10.0.0-10.10.0.50". 10.10.0.0 is its network or broadcast address./);
    });

    test('throws when the gateway sits inside the default DHCP range', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), gateway: '10.10.0.200' }))
        .toThrow(/'dhcp' must be a DHCP range that leaves out the gateway 10.10.0.200, got "upper-half". Pass DhcpRange.between\(start, end\) explicitly./);
    });

    test('throws when the IPv6 gateway is outside the IPv6 subnet', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', {
        subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10::/64'), ipv6Gateway: 'fd00:11::1',
      })).toThrow(/'ipv6Gateway' must be an IPv6 address inside fd00:10::\/64 other than its network address, got "fd00:11::1"/);
    });

    test('throws when the IPv6 DHCP range includes the IPv6 gateway', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', {
        subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Subnet: Ipv6Cidr.of('fd00:10::/64'), ipv6Dhcp: DhcpRange.between('fd00:10::1', 'fd00:10::ff'),
      })).toThrow(/'ipv6Dhcp' must be a range that leaves out the gateway fd00:10::1/);
    });

    test('throws when an IPv6 gateway is given without an IPv6 subnet', () => {
      const { stack } = hostStack();
      expect(() => new IsolatedNetwork(stack, 'A', { subnet: Ipv4Cidr.of('10.10.0.0/24'), ipv6Gateway: 'fd00::1' }))
        .toThrow(/'ipv6Gateway' must be set only together with 'ipv6Subnet'/);
    });
  });
});
