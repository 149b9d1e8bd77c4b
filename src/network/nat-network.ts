import { Construct } from 'constructs';
import { AddressedNetworkProps, NetworkBase } from './network-base';
import { validateInterfaceName } from './validation';
import { NetworkKind } from '../core/contracts';
import { NetworkForward } from '../imports/libvirt/network';

/** Properties of a `NatNetwork`. */
export interface NatNetworkProps extends AddressedNetworkProps {
  /**
   * The host interface to NAT through (`forward.dev`).
   * @default - any interface, following the host's routing table
   */
  readonly uplink?: string;
}

/**
 * A NAT network, libvirt's `default`-network pattern: guests get private addresses from
 * libvirt's DHCP and reach the outside through the host's address (`<forward mode='nat'>`).
 *
 * @see https://libvirt.org/formatnetwork.html#nat-based-network
 * @example
 * new NatNetwork(stack, 'Nat', { subnet: Ipv4Cidr.of('192.168.150.0/24') });
 */
export class NatNetwork extends NetworkBase {
  /** Always `NetworkKind.NAT`. */
  public readonly kind: NetworkKind = NetworkKind.NAT;
  private readonly uplink?: string;

  constructor(scope: Construct, id: string, props: NatNetworkProps) {
    super(scope, id, props);
    this.uplink = validateInterfaceName(this, 'uplink', props.uplink);
    this._configureAddressing(props);
  }

  /** @internal */
  protected _renderForward(): NetworkForward | undefined {
    return { mode: 'nat', dev: this.uplink };
  }
}
