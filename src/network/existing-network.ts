import { Construct } from 'constructs';
import { claimSubnet } from './validation';
import { Ipv4Cidr, Ipv6Cidr } from '../core/cidr';
import { AddressRequest, IGuest, INetwork, NetworkKind, NicAttachment } from '../core/contracts';
import { internedId } from '../core/interned-id';
import { LibvirtHost } from '../core/libvirt-host';
import { validateName } from '../core/names';
import { ValidationError } from '../core/validation-error';

/** Options for importing a network the app does not define. */
export interface ExistingNetworkOptions {
  /**
   * The host the network is on.
   * @default - the stack's only `LibvirtHost`
   */
  readonly host?: LibvirtHost;
  /**
   * How the network forwards traffic. `NetworkKind.SRIOV` gives NICs without a model.
   * @default NetworkKind.NAT
   */
  readonly kind?: NetworkKind;
  /**
   * The network's IPv4 subnet, when you want it checked against the app's networks for overlap.
   * @default - unknown; not checked
   */
  readonly subnet?: Ipv4Cidr;
  /**
   * The network's IPv6 subnet, when you want it checked against the app's networks for overlap.
   * @default - unknown; not checked
   */
  readonly ipv6Subnet?: Ipv6Cidr;
}

/**
 * A libvirt network that exists on the host but is not defined by this app, such as libvirt's
 * own `default` NAT network. Guests can attach to it; the app cannot add static leases to it,
 * because the provider cannot change a network it does not own.
 *
 * @example
 * const def = ExistingNetwork.fromNetworkName(stack, 'Default', 'default', {
 *   subnet: Ipv4Cidr.of('192.168.122.0/24'),
 * });
 */
export class ExistingNetwork extends Construct implements INetwork {
  /**
   * Imports the network named `networkName`. Its name is claimed on the host, so the app cannot
   * define another network with the same name there.
   */
  public static fromNetworkName(scope: Construct, id: string, networkName: string, options: ExistingNetworkOptions = {}): INetwork {
    return new ExistingNetwork(scope, id, networkName, options);
  }

  /** The host the network is on. */
  public readonly host: LibvirtHost;
  /** The network's libvirt name. */
  public readonly networkName: string;
  /** How the network forwards traffic, as declared. */
  public readonly kind: NetworkKind;
  /** The declared IPv4 subnet, if any. */
  public readonly ipv4Subnet?: Ipv4Cidr;
  /** The declared IPv6 subnet, if any. */
  public readonly ipv6Subnet?: Ipv6Cidr;

  private constructor(scope: Construct, id: string, networkName: string, options: ExistingNetworkOptions) {
    super(scope, internedId(id));
    this.host = LibvirtHost.of(this, options.host);
    this.networkName = validateName(this, 'networkName', networkName);
    this.host.claim('network name', this.networkName, this, 'networkName');
    this.kind = options.kind ?? NetworkKind.NAT;
    if (!Object.values(NetworkKind).includes(this.kind)) {
      throw new ValidationError(this, 'kind', this.kind, `one of ${Object.values(NetworkKind).join(', ')}`);
    }
    if (options.subnet !== undefined) claimSubnet(this.host, this, 'subnet', options.subnet);
    if (options.ipv6Subnet !== undefined) claimSubnet(this.host, this, 'ipv6Subnet', options.ipv6Subnet);
    this.ipv4Subnet = options.subnet;
    this.ipv6Subnet = options.ipv6Subnet;
  }

  /**
   * Always throws: the app cannot add DHCP host entries to a network it does not define.
   */
  public reserveAddress(request: AddressRequest): string {
    throw new ValidationError(request.claimant, 'network', this.node.path, 'a network this app defines, to reserve a static address on it',
      `${this.node.path} imports the existing network "${this.networkName}"; define it with IsolatedNetwork or NatNetwork instead, or let the guest use DHCP.`);
  }

  /**
   * The interface a NIC on this network gets. Throws when the guest is on another host.
   */
  public attach(guest: IGuest): NicAttachment {
    if (guest.host !== this.host) {
      throw new ValidationError(guest, 'network', this.node.path, `a network on the guest's host ${guest.host.node.path}`,
        `${this.node.path} is on host ${this.host.node.path}.`);
    }
    const source = { network: { network: this.networkName } };
    return { interface: this.kind === NetworkKind.SRIOV ? { source } : { model: { type: 'virtio' }, source } };
  }
}
