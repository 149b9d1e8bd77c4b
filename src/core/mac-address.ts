import { createHash } from 'crypto';
import { ValidationError } from './validation-error';

const MAC_RE = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;

/**
 * A 48-bit Ethernet MAC address.
 *
 * @example
 * MacAddress.of('52:54:00:12:34:56');
 * MacAddress.derive('lab/web-1/nic0'); // the same seed always gives the same address
 */
export class MacAddress {
  /**
   * Parses `52:54:00:12:34:56` (or with `-` separators); stored lower-case with colons.
   * Multicast addresses (lowest bit of the first octet set) are rejected: a NIC cannot use one.
   */
  public static of(address: string): MacAddress {
    const text = String(address).trim();
    if (!MAC_RE.test(text)) {
      throw new ValidationError('MacAddress.of', 'address', address, 'six hex octets separated by colons, e.g. "52:54:00:12:34:56"');
    }
    const octets = text.toLowerCase().split(/[:-]/).map((o) => parseInt(o, 16));
    if (octets[0] & 0x01) {
      throw new ValidationError('MacAddress.of', 'address', address, 'a unicast address (lowest bit of the first octet clear)',
        'Locally administered unicast addresses start with x2, x6, xa or xe.');
    }
    if (octets.every((o) => o === 0)) {
      throw new ValidationError('MacAddress.of', 'address', address, 'a non-zero address');
    }
    return new MacAddress(octets);
  }

  /**
   * A deterministic, locally administered unicast address derived from `seed`.
   *
   * 46 bits come from a SHA-256 of the seed, so distinct seeds (e.g. construct paths) collide
   * with negligible probability, and the same seed always yields the same address across synths.
   */
  public static derive(seed: string): MacAddress {
    const digest = createHash('sha256').update(`cdktf-libvirt/mac/${seed}`).digest();
    const octets = Array.from(digest.subarray(0, 6));
    octets[0] = (octets[0] & 0xfc) | 0x02; // unicast, locally administered
    return new MacAddress(octets);
  }

  private constructor(private readonly octets: number[]) {}

  /** True for locally administered addresses (second-lowest bit of the first octet set). */
  public get isLocallyAdministered(): boolean {
    return (this.octets[0] & 0x02) !== 0;
  }

  /** True when both are the same address. */
  public isEqual(other: MacAddress): boolean {
    return this.toString() === other.toString();
  }

  /** Lower-case, colon-separated: `52:54:00:12:34:56`. */
  public toString(): string {
    return this.octets.map((o) => o.toString(16).padStart(2, '0')).join(':');
  }
}
