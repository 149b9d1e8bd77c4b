import { Construct } from 'constructs';
import { AddressedNetworkProps, NetworkBase } from './network-base';
import { validateInterfaceName } from './validation';
import { NetworkKind } from '../core/contracts';
import { NetworkForward } from '../imports/libvirt/network';

/** Properties of a `RoutedNetwork`. */
export interface RoutedNetworkProps extends AddressedNetworkProps {
  /**
   * The host interface to route through (`forward.dev`).
   * @default - any interface, following the host's routing table
   */
  readonly uplink?: string;
}

/**
 * A routed network: guests' traffic is routed to the host's uplink without NAT
 * (`<forward mode='route'>`). The rest of the LAN needs a route to `subnet` via the host.
 *
 * @see https://libvirt.org/formatnetwork.html#routed-network-config
 * @example
 * new RoutedNetwork(stack, 'Routed', { subnet: Ipv4Cidr.of('10.20.0.0/24'), uplink: 'eno1' });
 */
export class RoutedNetwork extends NetworkBase {
  /** Always `NetworkKind.ROUTED`. */
  public readonly kind: NetworkKind = NetworkKind.ROUTED;
  private readonly uplink?: string;

  constructor(scope: Construct, id: string, props: RoutedNetworkProps) {
    super(scope, id, props);
    this.uplink = validateInterfaceName(this, 'uplink', props.uplink);
    this._configureAddressing(props);
  }

  /** @internal */
  protected _renderForward(): NetworkForward | undefined {
    return { mode: 'route', dev: this.uplink };
  }
}
