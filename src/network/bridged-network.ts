import { Construct } from 'constructs';
import { NetworkBase, NetworkBaseProps } from './network-base';
import { NetworkKind } from '../core/contracts';
import { NetworkBridge, NetworkForward, NetworkVirtualPort } from '../imports/libvirt/network';

/** Properties of a `BridgedNetwork`. */
export interface BridgedNetworkProps extends NetworkBaseProps {
  /**
   * The existing host bridge to connect guests to (e.g. `br0`), at most 15 characters. The host
   * must already have it; libvirt does not create it. Unique per host.
   */
  readonly bridge: string;
  /**
   * The bridge is an Open vSwitch bridge: guest ports get `<virtualport type='openvswitch'/>`.
   * @default false - a Linux bridge
   */
  readonly openVSwitch?: boolean;
}

/**
 * Guests on an existing host bridge, i.e. directly on the host's LAN (a Linux bridge, or an
 * Open vSwitch bridge with a virtual port per guest).
 *
 * It is rendered as a libvirt network with `<forward mode='bridge'>` over the bridge, not as
 * `type='bridge'` interfaces on each guest: guests then attach by network name like every other
 * kind, the bridge (and OVS) settings live in one place, and changing them replaces only the
 * network, not every domain (a domain update reboots the VM). libvirt manages no addresses on
 * it: the LAN's DHCP server does.
 *
 * @see https://libvirt.org/formatnetwork.html#using-an-existing-host-bridge
 * @example
 * new BridgedNetwork(stack, 'Lan', { bridge: 'br0' });
 * new BridgedNetwork(stack, 'Ovs', { bridge: 'ovsbr0', openVSwitch: true });
 */
export class BridgedNetwork extends NetworkBase {
  /** Always `NetworkKind.BRIDGED`. */
  public readonly kind: NetworkKind = NetworkKind.BRIDGED;
  /** The host bridge. */
  public readonly bridge: string;
  /** Whether the bridge is an Open vSwitch bridge. */
  public readonly openVSwitch: boolean;

  constructor(scope: Construct, id: string, props: BridgedNetworkProps) {
    super(scope, id, props);
    this._claimBridge(props.bridge, 'bridge');
    this.bridge = props.bridge;
    this.openVSwitch = props.openVSwitch ?? false;
  }

  /** @internal */
  protected _renderForward(): NetworkForward | undefined {
    return { mode: 'bridge' };
  }

  /** @internal */
  protected _renderBridge(): NetworkBridge | undefined {
    return { name: this.bridge };
  }

  /** @internal */
  protected _renderVirtualPort(): NetworkVirtualPort | undefined {
    return this.openVSwitch ? { params: { openVSwitch: {} } } : undefined;
  }
}
