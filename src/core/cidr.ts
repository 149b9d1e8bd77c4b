import * as ipaddr from 'ipaddr.js';
import { formatDottedQuad, parseDottedQuad } from './dotted-quad';
import { ValidationError } from './validation-error';

/** Family-specific parsing and printing, so both CIDR classes share the arithmetic below. */
interface Family {
  readonly name: string;
  readonly bits: number;
  readonly example: string;
  parse(text: string): bigint | undefined;
  format(value: bigint): string;
}

const V4: Family = {
  name: 'IPv4',
  bits: 32,
  example: '10.10.0.0/24',
  parse: parseDottedQuad,
  format: formatDottedQuad,
};

const V6: Family = {
  name: 'IPv6',
  bits: 128,
  example: 'fd00:10::/64',
  parse: (text) => (!text.includes('%') && ipaddr.IPv6.isValid(text) && !ipaddr.IPv4.isValid(text)
    ? toBigInt(ipaddr.IPv6.parse(text).toByteArray()) : undefined),
  format: (value) => (ipaddr.fromByteArray(toBytes(value, 16)) as ipaddr.IPv6).toRFC5952String(),
};

function toBigInt(bytes: number[]): bigint {
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function toBytes(value: bigint, count: number): number[] {
  const out: number[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(Number((value >> BigInt(i * 8)) & 0xffn));
  return out;
}

/** Parsed network: base address and prefix, checked to be network-aligned. */
class Network {
  public static parse(family: Family, where: string, text: string): Network {
    const allowed = `an ${family.name} network in CIDR notation with the host bits zero, e.g. "${family.example}"`;
    const m = /^([^/\s]+)\/(\d{1,3})$/.exec(String(text).trim());
    const prefix = m ? Number(m[2]) : NaN;
    const base = m ? family.parse(m[1]) : undefined;
    if (!m || base === undefined || prefix > family.bits) {
      throw new ValidationError(where, 'cidr', text, allowed);
    }
    const net = new Network(family, base & Network.mask(family, prefix), prefix);
    if (net.base !== base) {
      throw new ValidationError(where, 'cidr', text, allowed, `Did you mean "${net}"?`);
    }
    return net;
  }

  private static mask(family: Family, prefix: number): bigint {
    const all = (1n << BigInt(family.bits)) - 1n;
    return all ^ ((1n << BigInt(family.bits - prefix)) - 1n);
  }

  private constructor(public readonly family: Family, public readonly base: bigint, public readonly prefix: number) {}

  public get size(): bigint {
    return 1n << BigInt(this.family.bits - this.prefix);
  }

  public get last(): bigint {
    return this.base + this.size - 1n;
  }

  public get netmask(): bigint {
    return Network.mask(this.family, this.prefix);
  }

  public parseAddress(where: string, address: string): bigint {
    const v = this.family.parse(String(address).trim());
    if (v === undefined) {
      throw new ValidationError(where, 'address', address, `an ${this.family.name} address`);
    }
    return v;
  }

  public contains(value: bigint): boolean {
    return value >= this.base && value <= this.last;
  }

  public containsNetwork(other: Network): boolean {
    return other.base >= this.base && other.last <= this.last;
  }

  public overlaps(other: Network): boolean {
    return this.base <= other.last && other.base <= this.last;
  }

  public toString(): string {
    return `${this.family.format(this.base)}/${this.prefix}`;
  }
}

/**
 * An IPv4 network such as `10.10.0.0/24`.
 *
 * The address must be the network address (host bits zero): `10.10.0.5/24` is rejected with a
 * hint to `10.10.0.0/24`, because a misaligned subnet is nearly always a typo.
 *
 * @example
 * const subnet = Ipv4Cidr.of('10.10.0.0/24');
 * subnet.hostAddress(1); // '10.10.0.1'
 * subnet.overlaps(Ipv4Cidr.of('10.10.0.128/25')); // true
 */
export class Ipv4Cidr {
  /** Parses `a.b.c.d/n`. */
  public static of(cidr: string): Ipv4Cidr {
    return new Ipv4Cidr(Network.parse(V4, 'Ipv4Cidr.of', cidr));
  }

  /** True when `address` is a dotted-quad IPv4 address. */
  public static isValidAddress(address: string): boolean {
    return V4.parse(String(address).trim()) !== undefined;
  }

  private constructor(private readonly net: Network) {}

  /** The network address, e.g. `10.10.0.0`. */
  public get networkAddress(): string {
    return V4.format(this.net.base);
  }

  /** The prefix length, e.g. 24. */
  public get prefixLength(): number {
    return this.net.prefix;
  }

  /** The dotted netmask, e.g. `255.255.255.0`. */
  public get netmask(): string {
    return V4.format(this.net.netmask);
  }

  /** The broadcast address, e.g. `10.10.0.255`. */
  public get broadcastAddress(): string {
    return V4.format(this.net.last);
  }

  /** How many addresses the network spans, network and broadcast included. */
  public get addressCount(): number {
    return Number(this.net.size);
  }

  /**
   * How many addresses hosts can use: all but the network and broadcast addresses
   * (a /31 has 2 and a /32 has 1, per RFC 3021).
   */
  public get usableHostCount(): number {
    return this.net.prefix >= 31 ? this.addressCount : this.addressCount - 2;
  }

  /**
   * The `n`-th host address, counting from 1 (`hostAddress(1)` of `10.10.0.0/24` is `10.10.0.1`).
   */
  public hostAddress(n: number): string {
    return V4.format(this.net.base + BigInt(this.hostOffset(n)));
  }

  /**
   * The position of `address` in the network (`10.10.0.7` is 7 in `10.10.0.0/24`).
   * Throws when the address is outside the network.
   */
  public offsetOf(address: string): number {
    const v = this.net.parseAddress(`Ipv4Cidr(${this}).offsetOf`, address);
    if (!this.net.contains(v)) {
      throw new ValidationError(`Ipv4Cidr(${this}).offsetOf`, 'address', address, `an address inside ${this}`);
    }
    return Number(v - this.net.base);
  }

  /** True when `address` is inside this network. Throws when it is not an IPv4 address. */
  public containsAddress(address: string): boolean {
    return this.net.contains(this.net.parseAddress(`Ipv4Cidr(${this}).containsAddress`, address));
  }

  /** True when `other` lies entirely inside this network. */
  public containsCidr(other: Ipv4Cidr): boolean {
    return this.net.containsNetwork(other.net);
  }

  /** True when the two networks share at least one address. */
  public overlaps(other: Ipv4Cidr): boolean {
    return this.net.overlaps(other.net);
  }

  /** True when both are the same network. */
  public isEqual(other: Ipv4Cidr): boolean {
    return this.toString() === other.toString();
  }

  /** `10.10.0.0/24` */
  public toString(): string {
    return this.net.toString();
  }

  private hostOffset(n: number): number {
    const first = this.net.prefix >= 31 ? 0 : 1;
    const max = this.usableHostCount;
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new ValidationError(`Ipv4Cidr(${this}).hostAddress`, 'n', n, `an integer from 1 to ${max}`);
    }
    return n - 1 + first;
  }
}

/**
 * An IPv6 network such as `fd00:10::/64`.
 *
 * @example
 * const subnet = Ipv6Cidr.of('fd00:10::/64');
 * subnet.hostAddress(1); // 'fd00:10::1'
 */
export class Ipv6Cidr {
  /** Parses `x:x::/n`. */
  public static of(cidr: string): Ipv6Cidr {
    return new Ipv6Cidr(Network.parse(V6, 'Ipv6Cidr.of', cidr));
  }

  /** True when `address` is an IPv6 address (no zone id). */
  public static isValidAddress(address: string): boolean {
    return V6.parse(String(address).trim()) !== undefined;
  }

  private constructor(private readonly net: Network) {}

  /** The network address in RFC 5952 form, e.g. `fd00:10::`. */
  public get networkAddress(): string {
    return V6.format(this.net.base);
  }

  /** The prefix length, e.g. 64. */
  public get prefixLength(): number {
    return this.net.prefix;
  }

  /**
   * The `n`-th address after the network address (`hostAddress(1)` of `fd00:10::/64` is `fd00:10::1`).
   */
  public hostAddress(n: number): string {
    if (!Number.isSafeInteger(n) || n < 1 || BigInt(n) >= this.net.size) {
      const max = this.net.size - 1n;
      throw new ValidationError(`Ipv6Cidr(${this}).hostAddress`, 'n', n, `an integer from 1 to ${max < BigInt(Number.MAX_SAFE_INTEGER) ? max : Number.MAX_SAFE_INTEGER}`);
    }
    return V6.format(this.net.base + BigInt(n));
  }

  /** The position of `address` in the network; throws when it is outside or too far to count. */
  public offsetOf(address: string): number {
    const v = this.net.parseAddress(`Ipv6Cidr(${this}).offsetOf`, address);
    const off = v - this.net.base;
    if (!this.net.contains(v) || off > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ValidationError(`Ipv6Cidr(${this}).offsetOf`, 'address', address, `an address inside ${this} within 2^53 of its start`);
    }
    return Number(off);
  }

  /** True when `address` is inside this network. Throws when it is not an IPv6 address. */
  public containsAddress(address: string): boolean {
    return this.net.contains(this.net.parseAddress(`Ipv6Cidr(${this}).containsAddress`, address));
  }

  /** True when `other` lies entirely inside this network. */
  public containsCidr(other: Ipv6Cidr): boolean {
    return this.net.containsNetwork(other.net);
  }

  /** True when the two networks share at least one address. */
  public overlaps(other: Ipv6Cidr): boolean {
    return this.net.overlaps(other.net);
  }

  /** True when both are the same network. */
  public isEqual(other: Ipv6Cidr): boolean {
    return this.toString() === other.toString();
  }

  /** `fd00:10::/64` */
  public toString(): string {
    return this.net.toString();
  }
}
