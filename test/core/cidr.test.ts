import { Ipv4Cidr, Ipv6Cidr } from '../../src/core';

describe('Ipv4Cidr', () => {
  test('parses the network, prefix, netmask and broadcast', () => {
    const c = Ipv4Cidr.of('10.10.0.0/24');
    expect([c.networkAddress, c.prefixLength, c.netmask, c.broadcastAddress]).toEqual(['10.10.0.0', 24, '255.255.255.0', '10.10.0.255']);
  });

  test('counts usable hosts without network and broadcast', () => {
    expect(Ipv4Cidr.of('10.10.0.0/24').usableHostCount).toBe(254);
    expect(Ipv4Cidr.of('10.10.0.0/31').usableHostCount).toBe(2);
  });

  test('returns the n-th host address', () => {
    const c = Ipv4Cidr.of('192.168.100.0/24');
    expect(c.hostAddress(1)).toBe('192.168.100.1');
    expect(c.hostAddress(254)).toBe('192.168.100.254');
  });

  test('throws for a host number past the end of the network', () => {
    expect(() => Ipv4Cidr.of('10.0.0.0/30').hostAddress(3)).toThrow(/'n' must be an integer from 1 to 2, got 3/);
  });

  test('tells whether it contains an address or a network', () => {
    const c = Ipv4Cidr.of('10.10.0.0/16');
    expect(c.containsAddress('10.10.200.1')).toBe(true);
    expect(c.containsAddress('10.11.0.1')).toBe(false);
    expect(c.containsCidr(Ipv4Cidr.of('10.10.4.0/24'))).toBe(true);
    expect(c.containsCidr(Ipv4Cidr.of('10.0.0.0/8'))).toBe(false);
  });

  test('tells whether two networks overlap', () => {
    expect(Ipv4Cidr.of('10.10.0.0/24').overlaps(Ipv4Cidr.of('10.10.0.128/25'))).toBe(true);
    expect(Ipv4Cidr.of('10.10.0.0/24').overlaps(Ipv4Cidr.of('10.10.1.0/24'))).toBe(false);
  });

  test('gives the offset of an address inside the network', () => {
    expect(Ipv4Cidr.of('10.10.0.0/24').offsetOf('10.10.0.7')).toBe(7);
  });

  test('rejects a network address with host bits set and suggests the aligned one', () => {
    expect(() => Ipv4Cidr.of('10.10.0.5/24')).toThrow(/'cidr' must be an IPv4 network in CIDR notation with the host bits zero.*got "10.10.0.5\/24"\. Did you mean "10.10.0.0\/24"\?/);
  });

  test.each([['10.10.0.0'], ['10.10.0.0/33'], ['10.10.0/24'], ['256.0.0.0/8'], ['fd00::/64'], ['10.10.0.0/-1']])('rejects the malformed CIDR %p', (bad) => {
    expect(() => Ipv4Cidr.of(bad)).toThrow(/Ipv4Cidr.of: 'cidr' must be an IPv4 network in CIDR notation/);
  });

  test('rejects an address that is not IPv4 when asked whether it contains it', () => {
    expect(() => Ipv4Cidr.of('10.0.0.0/8').containsAddress('10.0.0')).toThrow(/'address' must be an IPv4 address, got "10.0.0"/);
  });
});

describe('Ipv6Cidr', () => {
  test('parses and prints in RFC 5952 form', () => {
    const c = Ipv6Cidr.of('FD00:0010:0000::/64');
    expect(c.toString()).toBe('fd00:10::/64');
    expect(c.prefixLength).toBe(64);
  });

  test('returns the n-th address', () => {
    expect(Ipv6Cidr.of('fd00:10::/64').hostAddress(1)).toBe('fd00:10::1');
    expect(Ipv6Cidr.of('fd00:10::/64').hostAddress(256)).toBe('fd00:10::100');
  });

  test('tells containment and overlap', () => {
    const c = Ipv6Cidr.of('fd00:10::/48');
    expect(c.containsAddress('fd00:10:0:5::1')).toBe(true);
    expect(c.containsCidr(Ipv6Cidr.of('fd00:10:0:5::/64'))).toBe(true);
    expect(c.overlaps(Ipv6Cidr.of('fd00:11::/48'))).toBe(false);
  });

  test('rejects a misaligned network with a hint', () => {
    expect(() => Ipv6Cidr.of('fd00:10::1/64')).toThrow(/Did you mean "fd00:10::\/64"\?/);
  });

  test.each([['fd00:10::'], ['fd00:10::/129'], ['10.0.0.0/8'], ['fe80::1%eth0/64'], ['fd00:::1/64']])('rejects the malformed CIDR %p', (bad) => {
    expect(() => Ipv6Cidr.of(bad)).toThrow(/Ipv6Cidr.of: 'cidr' must be an IPv6 network in CIDR notation/);
  });
});
