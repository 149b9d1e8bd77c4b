import { Construct } from 'constructs';
import { AddressedNetworkProps, NetworkBase } from './network-base';
import { NetworkKind } from '../core/contracts';
import { NetworkForward } from '../imports/libvirt/network';

/** Properties of an `IsolatedNetwork`. */
export interface IsolatedNetworkProps extends AddressedNetworkProps {}

/**
 * A network with no forwarding: guests reach each other and the host only. The default for labs.
 *
 * libvirt creates a bridge with the gateway address on the host and runs dnsmasq on it for DHCP
 * and DNS; the network's `forward` element is omitted (libvirt has no mode `none`).
 *
 * @see https://libvirt.org/formatnetwork.html#isolated-network-config
 * @example
 * const net = new IsolatedNetwork(stack, 'LabNet', {
 *   subnet: Ipv4Cidr.of('10.10.0.0/24'),
 *   domain: 'lab.internal',
 * });
 * net.addStaticLease({ mac: MacAddress.of('52:54:00:00:00:10'), hostname: 'printer' });
 */
export class IsolatedNetwork extends NetworkBase {
  /** Always `NetworkKind.ISOLATED`. */
  public readonly kind: NetworkKind = NetworkKind.ISOLATED;

  constructor(scope: Construct, id: string, props: IsolatedNetworkProps) {
    super(scope, id, props);
    this._configureAddressing(props);
  }

  /** @internal */
  protected _renderForward(): NetworkForward | undefined {
    return undefined;
  }
}
