/**
 * The dynamic DHCP range of a network: the addresses dnsmasq hands to guests that have no static lease.
 *
 * Addresses outside the range (and other than the gateway) form the network's static range, from which
 * `reserveAddress` and `addStaticLease` allocate.
 *
 * @example
 * DhcpRange.upperHalf();                          // 10.10.0.128-10.10.0.254 on 10.10.0.0/24 (the default)
 * DhcpRange.between('10.10.0.200', '10.10.0.250');
 * DhcpRange.disabled();                           // static leases only
 */
export class DhcpRange {
  /**
   * The upper half of the subnet's host addresses: `.128`-`.254` on a /24, `.8`-`.14` on a /28.
   * The lower half (minus the gateway) is the static range. IPv4 only.
   */
  public static upperHalf(): DhcpRange {
    return new DhcpRange('upper-half');
  }

  /**
   * An explicit range, both ends included. Both must be host addresses of the subnet.
   *
   * @param start first address of the range
   * @param end last address of the range
   */
  public static between(start: string, end: string): DhcpRange {
    return new DhcpRange('between', start, end);
  }

  /**
   * No dynamic range. Guests get addresses only from static leases (or configure them themselves).
   */
  public static disabled(): DhcpRange {
    return new DhcpRange('disabled');
  }

  private constructor(
    /** @internal */
    public readonly _mode: string,
    /** The first address, for an explicit range. */
    public readonly start?: string,
    /** The last address, for an explicit range. */
    public readonly end?: string,
  ) {}

  /** True when the network has no dynamic range. */
  public get isDisabled(): boolean {
    return this._mode === 'disabled';
  }

  /** True for the automatic upper-half range. */
  public get isUpperHalf(): boolean {
    return this._mode === 'upper-half';
  }

  /** `upper-half`, `disabled` or `START-END`. */
  public toString(): string {
    return this._mode === 'between' ? `${this.start}-${this.end}` : this._mode;
  }
}
