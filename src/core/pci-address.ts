import { ValidationError } from './validation-error';

/**
 * A PCI address in the decimal form the provider's `address` objects take
 * (libvirtxml writes them back as hex).
 */
export interface PciAddressNumbers {
  /** PCI domain (segment), 0-65535. */
  readonly domain: number;
  /** Bus, 0-255. */
  readonly bus: number;
  /** Slot (device), 0-31. */
  readonly slot: number;
  /** Function, 0-7. */
  readonly function: number;
}

const PCI_RE = /^(?:([0-9a-fA-F]{1,4}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])$/;
const NODEDEV_RE = /^pci_([0-9a-fA-F]{4})_([0-9a-fA-F]{2})_([0-9a-fA-F]{2})_([0-7])$/;

/**
 * A host PCI address (`domain:bus:slot.function`), as `lspci -D` prints it.
 *
 * @example
 * const vf = PciAddress.of('0000:3b:02.3');
 * vf.toNumbers(); // { domain: 0, bus: 59, slot: 2, function: 3 }
 */
export class PciAddress {
  /**
   * Parses `0000:3b:02.3` or, with domain 0 implied, `3b:02.3`. Hex digits, either case.
   */
  public static of(address: string): PciAddress {
    const m = PCI_RE.exec(String(address).trim());
    if (!m) {
      throw new ValidationError('PciAddress.of', 'address', address,
        'a PCI address [DDDD:]BB:SS.F in hex (domain 0-ffff, bus 0-ff, slot 0-1f, function 0-7), e.g. "0000:3b:02.3"');
    }
    return PciAddress.fromNumbers({
      domain: m[1] === undefined ? 0 : parseInt(m[1], 16),
      bus: parseInt(m[2], 16),
      slot: parseInt(m[3], 16),
      function: parseInt(m[4], 16),
    }, 'PciAddress.of');
  }

  /**
   * Parses a libvirt node-device name such as `pci_0000_3b_02_3`.
   */
  public static fromNodeDeviceName(name: string): PciAddress {
    const m = NODEDEV_RE.exec(String(name).trim());
    if (!m) {
      throw new ValidationError('PciAddress.fromNodeDeviceName', 'name', name,
        'a libvirt PCI node-device name pci_DDDD_BB_SS_F, e.g. "pci_0000_3b_02_3"');
    }
    return PciAddress.fromNumbers({
      domain: parseInt(m[1], 16), bus: parseInt(m[2], 16), slot: parseInt(m[3], 16), function: parseInt(m[4], 16),
    }, 'PciAddress.fromNodeDeviceName');
  }

  /**
   * An address from its numbers.
   */
  public static fromNumbers(numbers: PciAddressNumbers, where: string = 'PciAddress.fromNumbers'): PciAddress {
    const limits: Array<[keyof PciAddressNumbers, number]> = [['domain', 0xffff], ['bus', 0xff], ['slot', 0x1f], ['function', 7]];
    for (const [key, max] of limits) {
      const v = numbers[key];
      if (!Number.isInteger(v) || v < 0 || v > max) {
        throw new ValidationError(where, key, v, `an integer from 0 to ${max} (0x${max.toString(16)})`);
      }
    }
    return new PciAddress(numbers.domain, numbers.bus, numbers.slot, numbers.function);
  }

  private constructor(
    /** PCI domain. */
    public readonly domain: number,
    /** Bus. */
    public readonly bus: number,
    /** Slot. */
    public readonly slot: number,
    /** Function. */
    public readonly func: number,
  ) {}

  /** The decimal numbers the provider's `address` objects take. */
  public toNumbers(): PciAddressNumbers {
    return { domain: this.domain, bus: this.bus, slot: this.slot, function: this.func };
  }

  /** The address of function `fn` of the same device (for multifunction devices). */
  public withFunction(fn: number): PciAddress {
    return PciAddress.fromNumbers({ ...this.toNumbers(), function: fn }, 'PciAddress.withFunction');
  }

  /** The libvirt node-device name, e.g. `pci_0000_3b_02_3`. */
  public toNodeDeviceName(): string {
    return `pci_${hex(this.domain, 4)}_${hex(this.bus, 2)}_${hex(this.slot, 2)}_${this.func}`;
  }

  /** True when both name the same function. */
  public isEqual(other: PciAddress): boolean {
    return this.toString() === other.toString();
  }

  /** Canonical form, `0000:3b:02.3`. */
  public toString(): string {
    return `${hex(this.domain, 4)}:${hex(this.bus, 2)}:${hex(this.slot, 2)}.${this.func}`;
  }
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
