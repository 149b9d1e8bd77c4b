import { Construct } from 'constructs';
import { NetworkBase, NetworkBaseProps } from './network-base';
import { validateInterfaceName } from './validation';
import { IGuest, NetworkKind, NicAttachment } from '../core/contracts';
import { ValidationError } from '../core/validation-error';
import { NetworkForward } from '../imports/libvirt/network';

/** How macvtap interfaces on a host device forward traffic. */
export enum MacvtapMode {
  /** Guests on the same device talk to each other directly and to the LAN. */
  BRIDGE = 'bridge',
  /** All traffic goes to the external switch, which must reflect it (802.1Qbg) for guest-to-guest traffic. */
  VEPA = 'vepa',
  /** Like VEPA, but guests on the same device never reach each other. */
  PRIVATE = 'private',
  /** Each guest takes a whole host device; one guest per device. */
  PASSTHROUGH = 'passthrough',
}

/** Properties of a `MacvtapNetwork`. */
export interface MacvtapNetworkProps extends NetworkBaseProps {
  /**
   * The host interfaces guests' macvtap devices sit on (e.g. `['eno1']`). In passthrough mode
   * each guest NIC takes one of them, so the list caps how many NICs can attach.
   */
  readonly devices: string[];
  /**
   * The macvtap mode.
   * @default MacvtapMode.BRIDGE
   */
  readonly mode?: MacvtapMode;
  /**
   * Let guests change their MAC address and multicast filters (`trustGuestRxFilters`), e.g. for
   * IPv6 neighbour discovery on some NICs or bonding in the guest.
   * @default false
   */
  readonly trustGuestRxFilters?: boolean;
}

/**
 * Guests directly on a host interface through macvtap (`<forward mode='bridge|vepa|private|passthrough'>`
 * with an interface pool).
 *
 * It is rendered as a libvirt network rather than `type='direct'` interfaces on each guest, so the
 * device and mode live in one place, guests attach by network name, and libvirt spreads guests
 * over the device pool. Note that with macvtap the host itself cannot reach its guests over this
 * device (a macvtap limitation).
 *
 * @see https://libvirt.org/formatnetwork.html#direct-attachment-to-physical-interface
 * @example
 * new MacvtapNetwork(stack, 'Direct', { devices: ['eno1'], mode: MacvtapMode.BRIDGE });
 */
export class MacvtapNetwork extends NetworkBase {
  /** Always `NetworkKind.MACVTAP`. */
  public readonly kind: NetworkKind = NetworkKind.MACVTAP;
  /** The macvtap mode. */
  public readonly mode: MacvtapMode;
  /** The host interfaces. */
  public readonly devices: string[];
  private readonly trust: boolean;
  private readonly attached: IGuest[] = [];

  constructor(scope: Construct, id: string, props: MacvtapNetworkProps) {
    super(scope, id, props);
    if (!Array.isArray(props.devices) || props.devices.length === 0) {
      throw new ValidationError(this, 'devices', props.devices, 'a list of at least one host interface name');
    }
    const seen = new Set<string>();
    for (const dev of props.devices) {
      validateInterfaceName(this, 'devices', dev);
      if (seen.has(dev)) throw new ValidationError(this, 'devices', props.devices, 'a list without duplicates', `${JSON.stringify(dev)} is listed twice.`);
      seen.add(dev);
    }
    this.mode = props.mode ?? MacvtapMode.BRIDGE;
    if (!Object.values(MacvtapMode).includes(this.mode)) {
      throw new ValidationError(this, 'mode', this.mode, `one of ${Object.values(MacvtapMode).join(', ')}`);
    }
    this.devices = [...props.devices];
    this.trust = props.trustGuestRxFilters ?? false;
  }

  /**
   * The interface a NIC on this network gets. In passthrough mode, throws when every device is taken.
   */
  public attach(guest: IGuest): NicAttachment {
    const attachment = super.attach(guest);
    if (this.mode === MacvtapMode.PASSTHROUGH) {
      this.attached.push(guest);
      if (this.attached.length > this.devices.length) {
        throw new ValidationError(guest, 'network', this.node.path,
          `a passthrough network with a free device (${this.node.path} has ${this.devices.length}: ${this.devices.join(', ')})`,
          `NIC number ${this.attached.length} was attached; in passthrough mode each NIC takes a whole device. Add devices or use MacvtapMode.BRIDGE.`);
      }
    }
    return attachment;
  }

  /** @internal */
  protected _renderForward(): NetworkForward | undefined {
    return { mode: this.mode, interfaces: this.devices.map((dev) => ({ dev })) };
  }

  /** @internal */
  protected _renderTrustGuestRxFilters(): string | undefined {
    return this.trust ? 'yes' : undefined;
  }
}
