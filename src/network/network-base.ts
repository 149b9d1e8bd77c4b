import { createHash } from 'crypto';
import { IResolveContext, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { DhcpRange } from './dhcp-range';
import { claimSubnet, validateInterfaceName } from './validation';
import { Ipv4Cidr, Ipv6Cidr } from '../core/cidr';
import { AddressRequest, IGuest, INetwork, NetworkKind, NicAttachment } from '../core/contracts';
import { parseDottedQuad } from '../core/dotted-quad';
import { internedId } from '../core/interned-id';
import { LibvirtHost } from '../core/libvirt-host';
import { MacAddress } from '../core/mac-address';
import { kebabName, validateInt, validateName } from '../core/names';
import { hasTokens, producedString, producedValue, withoutUndefined } from '../core/produced';
import { ReplaceTrigger } from '../core/replace-trigger';
import { ValidationError } from '../core/validation-error';
import { DomainDevicesInterfaces } from '../imports/libvirt/domain';
import {
  Network,
  NetworkBridge,
  NetworkDns,
  NetworkForward,
  NetworkIps,
  NetworkIpsDhcp,
  NetworkVirtualPort,
  NetworkVlan,
  networkBridgeToTerraform,
  networkDnsToTerraform,
  networkForwardToTerraform,
  networkIpsToTerraform,
  networkVirtualPortToTerraform,
  networkVlanToTerraform,
} from '../imports/libvirt/network';

/** Properties every network kind takes. */
export interface NetworkBaseProps {
  /**
   * The host the network is defined on.
   * @default - the stack's only `LibvirtHost`
   */
  readonly host?: LibvirtHost;
  /**
   * The libvirt network name, unique per host.
   * @default - the construct id in kebab-case (`LabNet` -> `lab-net`)
   */
  readonly networkName?: string;
  /**
   * Start the network when the host boots. (The provider always starts a network when it creates it.)
   * @default true
   */
  readonly autostart?: boolean;
  /**
   * The MTU of the network's bridge and guest interfaces, in bytes (68-65535).
   * @default - libvirt's default (1500, or the host interface's MTU)
   */
  readonly mtu?: number;
  /**
   * Replace the network when its definition changes.
   *
   * The provider applies only `autostart` to an existing network; other edits are not pushed to
   * libvirt. With this on, a `terraform_data` resource holds a digest of the rendered network and
   * the network has `lifecycle.replace_triggered_by` on it, so any change (a new static lease, a DNS
   * record, the MTU...) destroys and re-creates the network in one apply. Needs Terraform 1.4+.
   *
   * @default true
   */
  readonly replaceOnChange?: boolean;
}

/** Properties of networks whose addresses libvirt manages (isolated, NAT and routed). */
export interface AddressedNetworkProps extends NetworkBaseProps {
  /**
   * The IPv4 subnet, network-aligned and at least a /30, e.g. `Ipv4Cidr.of('10.10.0.0/24')`.
   * It must not overlap another network's subnet on the same host.
   */
  readonly subnet: Ipv4Cidr;
  /**
   * The host's address on the network (the guests' gateway and DNS server).
   * @default - the first host address of `subnet` (`10.10.0.1` on `10.10.0.0/24`)
   */
  readonly gateway?: string;
  /**
   * The dynamic DHCP range. The rest of the subnet, minus the gateway, is the static range that
   * `reserveAddress` and `addStaticLease` allocate from.
   * @default DhcpRange.upperHalf() - `.128`-`.254` on a /24
   */
  readonly dhcp?: DhcpRange;
  /**
   * An IPv6 subnet to add, e.g. `Ipv6Cidr.of('fd00:10::/64')`. Guests configure themselves from
   * the router advertisements libvirt sends.
   * @default - IPv4 only
   */
  readonly ipv6Subnet?: Ipv6Cidr;
  /**
   * The host's IPv6 address on the network.
   * @default - the first address of `ipv6Subnet` (`fd00:10::1`)
   */
  readonly ipv6Gateway?: string;
  /**
   * A DHCPv6 range (`DhcpRange.between(...)`; `upperHalf()` is IPv4 only).
   * @default DhcpRange.disabled() - addresses come from router advertisements (SLAAC)
   */
  readonly ipv6Dhcp?: DhcpRange;
  /**
   * The DNS domain of the network (`domain.name`, answered locally only). Guests resolve
   * `<hostname>.<domain>`.
   * @default - no domain
   */
  readonly domain?: string;
  /**
   * Run libvirt's DNS server (dnsmasq) on the network. When off, `reserveAddress` registers no
   * DNS records and `addDnsHost` throws.
   * @default true
   */
  readonly dns?: boolean;
  /**
   * The name of the bridge libvirt creates for the network (at most 15 characters, IFNAMSIZ).
   * Unique per host.
   * @default - libvirt picks a free `virbrN`
   */
  readonly bridgeName?: string;
}

/** A static DHCP lease: MAC address -> IPv4 address -> host name. */
export interface StaticLeaseOptions {
  /** The NIC's MAC address. */
  readonly mac: MacAddress;
  /** The host name handed out with the lease (and registered in DNS). */
  readonly hostname: string;
  /**
   * The address to lease.
   * @default - the next free address of the network's static range
   */
  readonly address?: string;
}

/** A DNS host record served by the network's DNS server. */
export interface DnsHostOptions {
  /** The IPv4 or IPv6 address the names resolve to. */
  readonly address: string;
  /** One or more host names for the address. */
  readonly hostnames: string[];
}

interface Ipv4Plan {
  readonly subnet: Ipv4Cidr;
  readonly gateway: string;
  readonly gatewayOffset: number;
  /** DHCP range as host offsets (both included), when enabled. */
  readonly dhcp?: { readonly start: number; readonly end: number };
  /** Lowest offset that may still be free. */
  cursor: number;
}

interface Ipv6Plan {
  readonly subnet: Ipv6Cidr;
  readonly gateway: string;
  readonly dhcp?: { readonly start: string; readonly end: string };
}

interface Lease {
  readonly mac: string;
  readonly address: string;
  /** Host offset in the subnet; NaN for an unresolved token. */
  readonly offset: number;
  readonly hostname: string;
  /** Who holds the lease, as named in errors. */
  readonly label: string;
}

const HOSTNAME_RE = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/**
 * What all network kinds share: the `libvirt_network` resource (child `Resource`), the per-host
 * name and bridge claims, the subnet-overlap check, the address allocator, static DHCP leases,
 * DNS host records and the replace-on-change trigger. Each kind adds only its forward mode and
 * what goes with it.
 *
 * @example
 * const net = new IsolatedNetwork(stack, 'LabNet', { subnet: Ipv4Cidr.of('10.10.0.0/24') });
 * net.reserveAddress({ claimant: vm, mac: MacAddress.derive('lab/vm'), hostname: 'vm' }); // '10.10.0.2'
 * net.attach(vm); // { interface: { model: { type: 'virtio' }, source: { network: { network: ... } } } }
 */
export abstract class NetworkBase extends Construct implements INetwork {
  /** The host the network is on. */
  public readonly host: LibvirtHost;
  /** The network's libvirt name (the literal name; NICs reference the resource's `name`). */
  public readonly networkName: string;
  /**
   * `${libvirt_network.X.name}`, made once: every NIC refers to it, and each new reference costs
   * cdktf a stack capture. A reference (not the literal name) makes guests depend on the network.
   * @internal
   */
  protected readonly _nameReference: string;
  /** How the network forwards traffic. */
  public abstract readonly kind: NetworkKind;
  /** Whether the network starts when the host boots. */
  public readonly autostart: boolean;
  /** The `libvirt_network` resource (escape hatch). */
  public readonly resource: Network;
  /**
   * The stack's `terraform_data` resource holding this network's digest, which replaces the network
   * when its definition changes (shared with pools and volumes; absent when `replaceOnChange` is off).
   */
  public readonly replaceTrigger?: ReplaceTrigger;

  private v4?: Ipv4Plan;
  private v6?: Ipv6Plan;
  private dnsEnabled = false;
  private domainName?: string;
  private bridgeName?: string;
  private readonly leases: Lease[] = [];
  private readonly leasesByOffset = new Map<number, Lease>();
  /** address -> host names, in the order they were added. */
  private readonly dnsHosts = new Map<string, string[]>();

  /** One renderer per attribute, so each attribute's Token renders only its own part. */
  private readonly partRenderers: Record<string, () => any> = {
    forward: () => networkForwardToTerraform(this._renderForward()),
    bridge: () => networkBridgeToTerraform(this._renderBridge()),
    virtual_port: () => networkVirtualPortToTerraform(this._renderVirtualPort()),
    vlan: () => networkVlanToTerraform(this._renderVlan()),
    trust_guest_rx_filters: () => this._renderTrustGuestRxFilters(),
    domain: () => (this.domainName !== undefined ? { name: this.domainName, local_only: 'yes' } : undefined),
    ips: () => this.renderIps()?.map((ip) => networkIpsToTerraform(ip)),
    dns: () => networkDnsToTerraform(this.renderDns()),
  };

  protected constructor(scope: Construct, id: string, props: NetworkBaseProps) {
    super(scope, internedId(id));
    this.host = LibvirtHost.of(this, props.host);
    this.networkName = validateName(this, 'networkName', props.networkName ?? kebabName(id));
    this.host.claim('network name', this.networkName, this, 'networkName');
    this.autostart = props.autostart ?? true;
    if (props.mtu !== undefined) validateInt(this, 'mtu', props.mtu, 68, 65535);

    const lazy = (key: string): any => producedValue(() => withoutUndefined(this.partRenderers[key]()));
    this.resource = new Network(this, 'Resource', {
      provider: this.host.provider,
      name: this.networkName,
      autostart: this.autostart,
      mtu: props.mtu !== undefined ? { size: props.mtu } : undefined,
      forward: lazy('forward'),
      bridge: lazy('bridge'),
      virtualPort: lazy('virtual_port'),
      vlan: lazy('vlan'),
      trustGuestRxFilters: lazy('trust_guest_rx_filters'),
      domain: lazy('domain'),
      ips: lazy('ips'),
      dns: lazy('dns'),
    });
    this._nameReference = this.resource.name;

    if (props.replaceOnChange ?? true) {
      this.replaceTrigger = ReplaceTrigger.of(this);
      this.resource.lifecycle = {
        replaceTriggeredBy: [this.replaceTrigger.track(this.resource, {
          digest: producedString((ctx: IResolveContext) => this.digest(ctx, props.mtu)),
        })],
      };
    }
  }

  /** The IPv4 subnet libvirt manages on this network, if any. */
  public get ipv4Subnet(): Ipv4Cidr | undefined {
    return this.v4?.subnet;
  }

  /** The IPv6 subnet libvirt manages on this network, if any. */
  public get ipv6Subnet(): Ipv6Cidr | undefined {
    return this.v6?.subnet;
  }

  /** The host's IPv4 address on the network (the guests' gateway), if libvirt manages addresses. */
  public get gatewayAddress(): string | undefined {
    return this.v4?.gateway;
  }

  /** The host's IPv6 address on the network, if it has an IPv6 subnet. */
  public get ipv6GatewayAddress(): string | undefined {
    return this.v6?.gateway;
  }

  /**
   * Reserves a static IPv4 address for a guest NIC: a DHCP host entry (MAC -> IP -> host name)
   * and, when the network runs DNS, a DNS record. Addresses come from the static range (the
   * subnet minus the gateway and the DHCP range), lowest free first, in call order.
   *
   * Adding a lease changes the network definition, which replaces the network on the next apply.
   */
  public reserveAddress(request: AddressRequest): string {
    return this.addLease(request.claimant, request.claimant.node.path, request.mac, request.hostname, request.address);
  }

  /**
   * Adds a static DHCP lease for a machine that is not a guest of this app (or one that is
   * wired by hand). Returns the leased address.
   *
   * Adding a lease changes the network definition, which replaces the network on the next apply.
   */
  public addStaticLease(options: StaticLeaseOptions): string {
    return this.addLease(this, `the static lease "${options.hostname}" of ${this.node.path}`,
      options.mac, options.hostname, options.address);
  }

  /**
   * Adds a DNS host record (`dns.host`) to the network's DNS server.
   */
  public addDnsHost(options: DnsHostOptions): void {
    if (!this.v4 && !this.v6) {
      throw new ValidationError(this, 'addDnsHost', options.address, 'called on a network whose addresses libvirt manages',
        `${this.node.path} is a ${this.kind} network; libvirt runs no DNS server on it.`);
    }
    if (!this.dnsEnabled) {
      throw new ValidationError(this, 'dns', false, 'true to add DNS host records', `addDnsHost(${JSON.stringify(options.address)}) was called.`);
    }
    if (!Token.isUnresolved(options.address) && !Ipv4Cidr.isValidAddress(options.address) && !Ipv6Cidr.isValidAddress(options.address)) {
      throw new ValidationError(this, 'address', options.address, 'an IPv4 or IPv6 address');
    }
    if (!options.hostnames || options.hostnames.length === 0) {
      throw new ValidationError(this, 'hostnames', options.hostnames, 'a list of at least one host name');
    }
    options.hostnames.forEach((h) => validateHostname(this, 'hostnames', h));
    const address = Token.isUnresolved(options.address) ? options.address : normalizeIp(options.address);
    options.hostnames.forEach((h) => this.addDnsRecord(address, h));
  }

  /**
   * The interface a NIC on this network gets. Throws when the guest is on another host.
   */
  public attach(guest: IGuest): NicAttachment {
    if (guest.host !== this.host) {
      throw new ValidationError(guest, 'network', this.node.path, `a network on the guest's host ${guest.host.node.path}`,
        `${this.node.path} is on host ${this.host.node.path}.`);
    }
    return { interface: this._renderInterface(guest) };
  }

  /**
   * Sets up libvirt-managed addressing. Called by the isolated, NAT and routed kinds.
   * @internal
   */
  protected _configureAddressing(props: AddressedNetworkProps): void {
    const subnet = props.subnet;
    if (!subnet || !(subnet instanceof Ipv4Cidr)) {
      throw new ValidationError(this, 'subnet', subnet, 'an Ipv4Cidr, e.g. Ipv4Cidr.of("10.10.0.0/24")');
    }
    if (subnet.prefixLength > 30) {
      throw new ValidationError(this, 'subnet', subnet.toString(), 'an IPv4 subnet of /30 or larger (a gateway and at least one guest)');
    }
    claimSubnet(this.host, this, 'subnet', subnet);
    this.v4 = this.planIpv4(subnet, props.gateway, props.dhcp ?? DhcpRange.upperHalf());

    if (props.ipv6Subnet !== undefined) {
      if (!(props.ipv6Subnet instanceof Ipv6Cidr)) {
        throw new ValidationError(this, 'ipv6Subnet', props.ipv6Subnet, 'an Ipv6Cidr, e.g. Ipv6Cidr.of("fd00:10::/64")');
      }
      claimSubnet(this.host, this, 'ipv6Subnet', props.ipv6Subnet);
      this.v6 = this.planIpv6(props.ipv6Subnet, props.ipv6Gateway, props.ipv6Dhcp ?? DhcpRange.disabled());
    } else if (props.ipv6Gateway !== undefined || props.ipv6Dhcp !== undefined) {
      throw new ValidationError(this, props.ipv6Gateway !== undefined ? 'ipv6Gateway' : 'ipv6Dhcp',
        props.ipv6Gateway ?? String(props.ipv6Dhcp), 'set only together with \'ipv6Subnet\'');
    }

    this.dnsEnabled = props.dns ?? true;
    if (props.domain !== undefined) {
      validateHostname(this, 'domain', props.domain);
      this.domainName = props.domain;
    }
    if (props.bridgeName !== undefined) this._claimBridge(props.bridgeName, 'bridgeName');
  }

  /**
   * Validates and claims a bridge name on the host.
   * @internal
   */
  protected _claimBridge(name: string, prop: string): void {
    validateInterfaceName(this, prop, name);
    this.host.claim('bridge name', name, this, prop);
    this.bridgeName = name;
  }

  /**
   * The `forward` block; `undefined` for an isolated network.
   * @internal
   */
  protected abstract _renderForward(): NetworkForward | undefined;

  /**
   * The `bridge` block.
   * @internal
   */
  protected _renderBridge(): NetworkBridge | undefined {
    return this.bridgeName !== undefined ? { name: this.bridgeName } : undefined;
  }

  /**
   * The `virtual_port` block.
   * @internal
   */
  protected _renderVirtualPort(): NetworkVirtualPort | undefined {
    return undefined;
  }

  /**
   * The `vlan` block.
   * @internal
   */
  protected _renderVlan(): NetworkVlan | undefined {
    return undefined;
  }

  /**
   * The network-level `trust_guest_rx_filters` (`yes`), if set.
   * @internal
   */
  protected _renderTrustGuestRxFilters(): string | undefined {
    return undefined;
  }

  /**
   * The `devices.interfaces[]` entry of a guest NIC on this network.
   * @internal
   */
  protected _renderInterface(_guest: IGuest): DomainDevicesInterfaces {
    return { model: { type: 'virtio' }, source: { network: { network: this._nameReference } } };
  }

  private addLease(claimant: IConstruct, label: string, mac: MacAddress, hostname: string, address?: string): string {
    const plan = this.v4;
    if (!plan) {
      throw new ValidationError(claimant, 'network', this.node.path,
        'a network whose addresses libvirt manages (IsolatedNetwork, NatNetwork or RoutedNetwork)',
        `${this.node.path} is a ${this.kind} network; give the guest its address another way (e.g. cloud-init).`);
    }
    if (!(mac instanceof MacAddress)) {
      throw new ValidationError(claimant, 'mac', mac, 'a MacAddress, e.g. MacAddress.of("52:54:00:12:34:56")');
    }
    validateHostname(claimant, 'hostname', hostname);
    const macKey = mac.toString();
    const sameMac = this.leases.find((l) => l.mac === macKey);
    if (sameMac) {
      throw new ValidationError(claimant, 'mac', macKey, `a MAC address not already leased on network ${this.node.path}`,
        `It is already leased to ${sameMac.label}.`);
    }

    let offset: number;
    let ip: string;
    if (address === undefined) {
      offset = this.nextFreeOffset(claimant, plan);
      ip = plan.subnet.hostAddress(offset);
    } else if (Token.isUnresolved(address)) {
      offset = NaN;
      ip = address;
    } else {
      offset = this.checkExplicitAddress(claimant, plan, address);
      ip = plan.subnet.hostAddress(offset);
    }

    const lease: Lease = { mac: macKey, address: ip, offset, hostname, label };
    this.leases.push(lease);
    if (!Number.isNaN(offset)) this.leasesByOffset.set(offset, lease);
    if (this.dnsEnabled) this.addDnsRecord(ip, hostname);
    return ip;
  }

  private nextFreeOffset(claimant: IConstruct, plan: Ipv4Plan): number {
    const last = plan.subnet.usableHostCount;
    while (plan.cursor <= last && !this.isStaticFree(plan, plan.cursor)) plan.cursor++;
    if (plan.cursor > last) {
      const dhcp = plan.dhcp ? ` and the DHCP range ${this.describeDhcp(plan)}` : '';
      throw new ValidationError(claimant, 'network', this.node.path, 'a network with a free static address',
        `${this.node.path} (${plan.subnet}) has no free address left outside the gateway ${plan.gateway}${dhcp}; `
        + `${this.leasesByOffset.size} static leases are taken. Use a larger subnet or a smaller DHCP range.`);
    }
    return plan.cursor;
  }

  private isStaticFree(plan: Ipv4Plan, offset: number): boolean {
    return offset !== plan.gatewayOffset && !inRange(plan.dhcp, offset) && !this.leasesByOffset.has(offset);
  }

  private checkExplicitAddress(claimant: IConstruct, plan: Ipv4Plan, address: string): number {
    if (!Ipv4Cidr.isValidAddress(address)) {
      throw new ValidationError(claimant, 'address', address, 'an IPv4 address');
    }
    if (!plan.subnet.containsAddress(address)) {
      throw new ValidationError(claimant, 'address', address, `an address inside ${plan.subnet} (the subnet of ${this.node.path})`);
    }
    const offset = plan.subnet.offsetOf(address);
    if (offset === 0 || offset > plan.subnet.usableHostCount) {
      throw new ValidationError(claimant, 'address', address, `a host address of ${plan.subnet}, not its network or broadcast address`);
    }
    if (offset === plan.gatewayOffset) {
      throw new ValidationError(claimant, 'address', address, `an address other than the gateway ${plan.gateway} of ${this.node.path}`);
    }
    if (inRange(plan.dhcp, offset)) {
      throw new ValidationError(claimant, 'address', address, `an address outside the DHCP range ${this.describeDhcp(plan)} of ${this.node.path}`,
        'Static leases must not overlap the dynamic range.');
    }
    const holder = this.leasesByOffset.get(offset);
    if (holder) {
      throw new ValidationError(claimant, 'address', address, `an address not already leased on network ${this.node.path}`,
        `It is already leased to ${holder.label}.`);
    }
    return offset;
  }

  private addDnsRecord(address: string, hostname: string): void {
    const names = this.dnsHosts.get(address) ?? [];
    if (!names.includes(hostname)) names.push(hostname);
    this.dnsHosts.set(address, names);
  }

  private planIpv4(subnet: Ipv4Cidr, gateway: string | undefined, dhcp: DhcpRange): Ipv4Plan {
    const hosts = subnet.usableHostCount;
    let gatewayOffset = 1;
    if (gateway !== undefined) {
      if (!Ipv4Cidr.isValidAddress(gateway) || !subnet.containsAddress(gateway)) {
        throw new ValidationError(this, 'gateway', gateway, `an IPv4 address inside ${subnet}`);
      }
      gatewayOffset = subnet.offsetOf(gateway);
      if (gatewayOffset === 0 || gatewayOffset > hosts) {
        throw new ValidationError(this, 'gateway', gateway, `a host address of ${subnet}, not its network or broadcast address`);
      }
    }
    const gw = subnet.hostAddress(gatewayOffset);

    let range: { start: number; end: number } | undefined;
    if (!(dhcp instanceof DhcpRange)) {
      throw new ValidationError(this, 'dhcp', dhcp, 'a DhcpRange (DhcpRange.upperHalf(), DhcpRange.between(...) or DhcpRange.disabled())');
    } else if (dhcp.isUpperHalf) {
      let start = Math.floor(hosts / 2) + 1;
      let end = hosts;
      if (gatewayOffset === end) end--;
      else if (gatewayOffset === start) start++;
      if (start > end || inRange({ start, end }, gatewayOffset)) {
        throw new ValidationError(this, 'dhcp', 'upper-half', `a DHCP range that leaves out the gateway ${gw}`,
          'Pass DhcpRange.between(start, end) explicitly.');
      }
      range = { start, end };
    } else if (!dhcp.isDisabled) {
      const start = this.dhcpBound(subnet, dhcp, dhcp.start!);
      const end = this.dhcpBound(subnet, dhcp, dhcp.end!);
      if (start > end) {
        throw new ValidationError(this, 'dhcp', dhcp.toString(), 'a range whose start is not after its end');
      }
      if (inRange({ start, end }, gatewayOffset)) {
        throw new ValidationError(this, 'dhcp', dhcp.toString(), `a range that leaves out the gateway ${gw}`);
      }
      range = { start, end };
    }
    return { subnet, gateway: gw, gatewayOffset, dhcp: range, cursor: 1 };
  }

  private dhcpBound(subnet: Ipv4Cidr, dhcp: DhcpRange, address: string): number {
    if (!Ipv4Cidr.isValidAddress(address) || !subnet.containsAddress(address)) {
      throw new ValidationError(this, 'dhcp', dhcp.toString(), `a range inside the subnet ${subnet}`,
        `${JSON.stringify(address)} is not an address of ${subnet}.`);
    }
    const offset = subnet.offsetOf(address);
    if (offset === 0 || offset > subnet.usableHostCount) {
      throw new ValidationError(this, 'dhcp', dhcp.toString(), `a range of host addresses of ${subnet}`,
        `${address} is its network or broadcast address.`);
    }
    return offset;
  }

  private planIpv6(subnet: Ipv6Cidr, gateway: string | undefined, dhcp: DhcpRange): Ipv6Plan {
    let gw = subnet.hostAddress(1);
    if (gateway !== undefined) {
      if (!Ipv6Cidr.isValidAddress(gateway) || !subnet.containsAddress(gateway) || ipValue(gateway) === ipValue(subnet.networkAddress)) {
        throw new ValidationError(this, 'ipv6Gateway', gateway, `an IPv6 address inside ${subnet} other than its network address`);
      }
      gw = normalizeIp(gateway);
    }
    if (!(dhcp instanceof DhcpRange) || dhcp.isUpperHalf) {
      throw new ValidationError(this, 'ipv6Dhcp', String(dhcp), 'DhcpRange.between(start, end) or DhcpRange.disabled() (upperHalf is IPv4 only)');
    }
    if (dhcp.isDisabled) return { subnet, gateway: gw };
    for (const bound of [dhcp.start!, dhcp.end!]) {
      if (!Ipv6Cidr.isValidAddress(bound) || !subnet.containsAddress(bound)) {
        throw new ValidationError(this, 'ipv6Dhcp', dhcp.toString(), `a range inside the subnet ${subnet}`,
          `${JSON.stringify(bound)} is not an address of ${subnet}.`);
      }
    }
    const [start, end, g] = [ipValue(dhcp.start!), ipValue(dhcp.end!), ipValue(gw)];
    if (start > end) {
      throw new ValidationError(this, 'ipv6Dhcp', dhcp.toString(), 'a range whose start is not after its end');
    }
    if (g >= start && g <= end) {
      throw new ValidationError(this, 'ipv6Dhcp', dhcp.toString(), `a range that leaves out the gateway ${gw}`);
    }
    return { subnet, gateway: gw, dhcp: { start: normalizeIp(dhcp.start!), end: normalizeIp(dhcp.end!) } };
  }

  private describeDhcp(plan: Ipv4Plan): string {
    return plan.dhcp ? `${plan.subnet.hostAddress(plan.dhcp.start)}-${plan.subnet.hostAddress(plan.dhcp.end)}` : 'none';
  }

  /** The lazily rendered attributes, in provider (snake_case) form. */
  private renderParts(): Record<string, any> {
    const parts: Record<string, any> = {};
    for (const key of Object.keys(this.partRenderers)) parts[key] = this.partRenderers[key]();
    return parts;
  }

  private renderIps(): NetworkIps[] | undefined {
    const ips: NetworkIps[] = [];
    const v4 = this.v4;
    if (v4) {
      const hosts = [...this.leases]
        .sort((a, b) => (Number.isNaN(a.offset) ? Infinity : a.offset) - (Number.isNaN(b.offset) ? Infinity : b.offset))
        .map((l) => ({ mac: l.mac, name: l.hostname, ip: l.address }));
      const dhcp: NetworkIpsDhcp = {
        ranges: v4.dhcp ? [{ start: v4.subnet.hostAddress(v4.dhcp.start), end: v4.subnet.hostAddress(v4.dhcp.end) }] : undefined,
        hosts: hosts.length ? hosts : undefined,
      };
      ips.push({
        family: 'ipv4',
        address: v4.gateway,
        prefix: v4.subnet.prefixLength,
        dhcp: dhcp.ranges || dhcp.hosts ? dhcp : undefined,
      });
    }
    const v6 = this.v6;
    if (v6) {
      ips.push({
        family: 'ipv6',
        address: v6.gateway,
        prefix: v6.subnet.prefixLength,
        dhcp: v6.dhcp ? { ranges: [{ start: v6.dhcp.start, end: v6.dhcp.end }] } : undefined,
      });
    }
    return ips.length ? ips : undefined;
  }

  private renderDns(): NetworkDns | undefined {
    if (!this.v4 && !this.v6) return undefined;
    if (!this.dnsEnabled) return { enable: 'no' };
    if (this.dnsHosts.size === 0) return undefined;
    const hosts = sortByIp([...this.dnsHosts.entries()], ([ip]) => ip)
      .map(([ip, names]) => ({ ip, hostnames: names.map((hostname) => ({ hostname })) }));
    return { host: hosts };
  }

  private digest(ctx: IResolveContext, mtu?: number): string {
    const parts = withoutUndefined({ name: this.networkName, mtu, ...this.renderParts() });
    // Resolved only when it holds Tokens: the same JSON either way, and most networks hold none.
    const definition = hasTokens(parts) ? ctx.resolve(parts) : parts;
    // Upper-case hex: cdktf scans every string for number Tokens with a pattern that lower-case
    // hex often matches ("335e2615" reads as a number), which sends its resolver down a slow path.
    return createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 32).toUpperCase();
  }
}

function inRange(range: { start: number; end: number } | undefined, offset: number): boolean {
  return range !== undefined && offset >= range.start && offset <= range.end;
}

function validateHostname(scope: IConstruct, prop: string, name: string): void {
  if (Token.isUnresolved(name)) return;
  if (typeof name !== 'string' || !HOSTNAME_RE.test(name)) {
    throw new ValidationError(scope, prop, name,
      'a DNS name: dot-separated labels of 1-63 letters, digits or \'-\' (not at either end of a label)');
  }
}

function ipValue(address: string): bigint {
  return ipaddr.parse(address).toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
}

function normalizeIp(address: string): string {
  if (parseDottedQuad(address) !== undefined) return address;
  const parsed = ipaddr.parse(address);
  return parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
}

/**
 * Sorted by address: IPv4 before IPv6, then by numeric value; tokens last, by text. Each address
 * is parsed once (a network's DNS records are sorted on every render).
 */
function sortByIp<T>(items: T[], ipOf: (item: T) => string): T[] {
  const keyed = items.map((item) => {
    const ip = ipOf(item);
    return { item, ip, key: ipSortKey(ip) };
  });
  keyed.sort((a, b) => {
    if (a.key[0] !== b.key[0]) return a.key[0] - b.key[0];
    if (a.key[1] !== b.key[1]) return a.key[1] < b.key[1] ? -1 : 1;
    return a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0;
  });
  return keyed.map((k) => k.item);
}

function ipSortKey(ip: string): [number, bigint] {
  const quad = parseDottedQuad(ip);
  if (quad !== undefined) return [0, quad];
  if (Token.isUnresolved(ip) || !ipaddr.isValid(ip)) return [2, 0n];
  return [ipaddr.parse(ip).kind() === 'ipv4' ? 0 : 1, ipValue(ip)];
}
