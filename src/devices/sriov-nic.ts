import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  GuestDeviceConfig, IGuest, IGuestDevice, INetwork, LibvirtHost, MacAddress, NetworkKind, PciAddress, PciAddressNumbers,
} from '../core';
import { NodeDeviceLookup } from './node-device-lookup';
import { internedId } from '../core/interned-id';
import { ValidationError } from '../core/validation-error';
import { checkSameHost, claimForGuest } from './private/binding';
import { DomainDevicesInterfaces } from '../imports/libvirt/domain';

/** How a VF is chosen (internal). */
enum VfKind {
  ADDRESS = 'address',
  PER_MEMBER = 'per-member',
  NEXT_OF_PF = 'next-of-pf',
  POOL = 'pool',
  LOOKUP = 'lookup',
}

/** What a `VirtualFunction` holds (internal). */
interface VfSpec {
  readonly addresses?: PciAddress[];
  readonly physicalFunction?: string;
  readonly network?: INetwork;
  readonly lookup?: NodeDeviceLookup;
}

/**
 * Which SR-IOV virtual function (VF) an `SriovNic` uses: a specific one by PCI address, one per
 * cluster member, the next free one of a physical function, or one drawn by libvirt from an
 * SR-IOV pool network.
 *
 * @example
 * VirtualFunction.atAddress(PciAddress.of('0000:3b:02.3'));
 * VirtualFunction.fromPool(sriovNetwork);
 */
export class VirtualFunction {
  /**
   * A specific VF by its host PCI address (`<interface type='hostdev'>`). Only one guest on the
   * host may use it.
   *
   * @param address the VF's PCI address (`lspci -D`, or `ls -l /sys/class/net/PF/device/virtfn*`)
   * @param physicalFunction the PF it belongs to, as named in the host inventory; needed to count
   * the VF against the PF's `vfCount` when the inventory does not list `vfAddresses`
   * (default: found from the inventory's `vfAddresses`, else not counted)
   */
  public static atAddress(address: PciAddress, physicalFunction?: string): VirtualFunction {
    checkAddress('VirtualFunction.atAddress', 'address', address);
    return new VirtualFunction(VfKind.ADDRESS, { addresses: [address], physicalFunction });
  }

  /**
   * One VF per cluster member, by address: member `i` gets `addresses[i]`.
   * A lone `VirtualMachine` is member 0.
   *
   * @param addresses one VF address per member, in member order
   * @param physicalFunction the PF they belong to, as for `atAddress`
   */
  public static perMember(addresses: PciAddress[], physicalFunction?: string): VirtualFunction {
    if (!Array.isArray(addresses) || addresses.length === 0) {
      throw new ValidationError('VirtualFunction.perMember', 'addresses', addresses, 'a non-empty list of VF PCI addresses, one per member');
    }
    addresses.forEach((a, i) => checkAddress('VirtualFunction.perMember', `addresses[${i}]`, a));
    const seen = new Map<string, number>();
    addresses.forEach((a, i) => {
      const before = seen.get(a.toString());
      if (before !== undefined) {
        throw new ValidationError('VirtualFunction.perMember', `addresses[${i}]`, a, 'an address not already in the list',
          `It is also addresses[${before}]; each member needs its own VF.`);
      }
      seen.set(a.toString(), i);
    });
    return new VirtualFunction(VfKind.PER_MEMBER, { addresses: [...addresses], physicalFunction });
  }

  /**
   * For each guest, the first VF of `physicalFunction` (in the inventory's `vfAddresses` order)
   * that no guest on the host uses yet. The host inventory must list the PF with `vfAddresses`.
   * Handy for clusters: each member gets the next free VF, decided at synth.
   *
   * @param physicalFunction the PF's interface name in the host inventory, e.g. `ens1f0`
   */
  public static nextFree(physicalFunction: string): VirtualFunction {
    if (typeof physicalFunction !== 'string' || physicalFunction.length === 0) {
      throw new ValidationError('VirtualFunction.nextFree', 'physicalFunction', physicalFunction, 'the name of a PF in the host inventory');
    }
    return new VirtualFunction(VfKind.NEXT_OF_PF, { physicalFunction });
  }

  /**
   * A VF drawn by libvirt from an SR-IOV pool network (`<forward mode='hostdev'>` over a PF or
   * an address list); the guest's NIC attaches to the network by name, and each guest (each
   * cluster member) gets its own VF when it starts.
   *
   * @param network an SR-IOV network (`NetworkKind.SRIOV`), e.g. an `SriovNetwork`
   */
  public static fromPool(network: INetwork): VirtualFunction {
    return new VirtualFunction(VfKind.POOL, { network });
  }

  /**
   * A VF found on the host at plan time with `NodeDeviceLookup` (e.g. by interface name).
   * Its address is a Terraform expression, so double use is only checked by lookup identity
   * and interface name.
   */
  public static fromLookup(lookup: NodeDeviceLookup): VirtualFunction {
    return new VirtualFunction(VfKind.LOOKUP, { lookup, physicalFunction: lookup.physicalFunction });
  }

  /** @internal */
  public readonly _kind: VfKind;
  /** @internal */
  public readonly _spec: VfSpec;

  private constructor(kind: VfKind, spec: VfSpec) {
    this._kind = kind;
    this._spec = spec;
  }
}

/** Properties of an `SriovNic`. */
export interface SriovNicProps {
  /** The virtual function the NIC uses. */
  readonly vf: VirtualFunction;
  /**
   * The host the VF is on.
   * @default - the pool network's host for `VirtualFunction.fromPool`, the lookup's host for
   * `fromLookup`, otherwise the stack's only `LibvirtHost`
   */
  readonly host?: LibvirtHost;
  /**
   * The MAC address libvirt programs into the VF before the guest starts. Only for a NIC bound to
   * a single guest; a NIC on several guests (a cluster) derives one per guest.
   * @default - derived from the NIC's and the guest's construct paths (stable across synths)
   */
  readonly mac?: MacAddress;
  /**
   * A VLAN tag (1-4094) that the VF applies transparently: the guest sends and receives untagged
   * frames. VFs take a single tag (no trunks). Needs provider 0.9.5 or later.
   * @default - untagged
   */
  readonly vlan?: number;
  /**
   * Lock the guest's memory in host RAM (`<memoryBacking><locked/>`), e.g. for DPDK guests.
   * libvirt already raises the memlock limit that VFIO needs, so this is not required for the VF.
   * @default false
   */
  readonly lockMemory?: boolean;
}

/**
 * A guest NIC backed by an SR-IOV virtual function: near line-rate networking without a host
 * bridge. Give it to a `VirtualMachine` or `VmCluster` like any other device; a cluster binds it
 * to every member, and each member gets its own VF.
 *
 * What libvirt sets on the VF: its MAC address and a VLAN tag. VF trust (`ip link set PF vf N
 * trust on`) and spoof checking (`spoofchk`) are host-side settings that neither libvirt nor the
 * provider exposes; set them on the host. libvirt's `trustGuestRxFilters` applies to macvtap
 * interfaces only.
 *
 * Host prerequisites that Terraform cannot do: IOMMU enabled (`intel_iommu=on` / `amd_iommu=on`,
 * `iommu=pt`), VFs created (`echo 8 > /sys/class/net/PF/device/sriov_numvfs`) and the `vfio-pci`
 * module available.
 *
 * @example
 * const wan = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(PciAddress.of('0000:3b:02.3')), vlan: 100 });
 * new VirtualMachine(stack, 'Router', { devices: [wan] });
 *
 * @see https://libvirt.org/formatdomain.html#pci-passthrough
 */
export class SriovNic extends Construct implements IGuestDevice {
  /** The host the VF is on. */
  public readonly host: LibvirtHost;
  /** The VF choice. */
  public readonly vf: VirtualFunction;
  /** The VLAN tag, if any. */
  public readonly vlan?: number;

  private readonly mac?: MacAddress;
  private readonly lockMemory: boolean;
  private readonly bound = new Map<IGuest, GuestDeviceConfig>();
  private readonly macs = new Map<IGuest, MacAddress>();

  constructor(scope: Construct, id: string, props: SriovNicProps) {
    super(scope, internedId(id));
    if (!props || !(props.vf instanceof VirtualFunction)) {
      throw new ValidationError(this, 'vf', props?.vf, 'a VirtualFunction (VirtualFunction.atAddress, .perMember, .nextFree, .fromPool or .fromLookup)');
    }
    this.vf = props.vf;
    const spec = this.vf._spec;

    if (this.vf._kind === VfKind.POOL) {
      const network = spec.network!;
      if (network.kind !== NetworkKind.SRIOV) {
        throw new ValidationError(this, 'vf', network.node.path, 'an SR-IOV pool network (NetworkKind.SRIOV)',
          `It is a ${network.kind} network; attach ordinary virtio NICs to it through the VM's network props instead.`);
      }
      if (props.host && props.host !== network.host) {
        throw new ValidationError(this, 'host', props.host.node.path, `the pool network's host (${network.host.node.path})`);
      }
      this.host = network.host;
    } else if (this.vf._kind === VfKind.LOOKUP) {
      const lookup = spec.lookup!;
      if (props.host && props.host !== lookup.host) {
        throw new ValidationError(this, 'host', props.host.node.path, `the lookup's host (${lookup.host.node.path})`);
      }
      this.host = lookup.host;
    } else {
      this.host = LibvirtHost.of(this, props.host);
    }

    if (this.vf._kind === VfKind.NEXT_OF_PF) {
      const pf = this.host.physicalFunction(spec.physicalFunction!);
      if (!pf.vfAddresses || pf.vfAddresses.length === 0) {
        throw new ValidationError(this, 'vf', spec.physicalFunction, `a PF whose VF addresses are listed in the inventory of ${this.host.node.path}`,
          'Add vfAddresses to the PF in the host inventory, or use VirtualFunction.fromPool with an SR-IOV network over the PF.');
      }
    }
    if ((this.vf._kind === VfKind.ADDRESS || this.vf._kind === VfKind.PER_MEMBER) && spec.physicalFunction !== undefined) {
      this.checkAddressesBelongToPf(spec.physicalFunction, spec.addresses!);
    }

    if (props.vlan !== undefined && !Token.isUnresolved(props.vlan)
      && (typeof props.vlan !== 'number' || !Number.isInteger(props.vlan) || props.vlan < 1 || props.vlan > 4094)) {
      throw new ValidationError(this, 'vlan', props.vlan, 'a VLAN id between 1 and 4094');
    }
    if (props.mac !== undefined && !(props.mac instanceof MacAddress)) {
      throw new ValidationError(this, 'mac', props.mac, 'a MacAddress (MacAddress.of("52:54:00:12:34:56"))');
    }
    this.vlan = props.vlan;
    this.mac = props.mac;
    this.lockMemory = props.lockMemory ?? false;
  }

  /**
   * The MAC address the NIC has on `guest` (after it was bound there).
   */
  public macAddressFor(guest: IGuest): MacAddress {
    const mac = this.macs.get(guest);
    if (!mac) {
      throw new ValidationError(this, 'guest', guest.node.path, 'a guest this NIC is bound to');
    }
    return mac;
  }

  /**
   * Binds the NIC to `guest`: checks the host, claims the VF and returns the interface.
   * Binding the same guest again returns the same result.
   */
  public bind(guest: IGuest): GuestDeviceConfig {
    const done = this.bound.get(guest);
    if (done) return done;

    checkSameHost(this, this.host, guest, 'vf');
    if (this.mac && this.bound.size > 0) {
      const first = [...this.bound.keys()][0];
      throw new ValidationError(this, 'mac', this.mac, 'unset when the NIC is given to several guests',
        `It is bound to ${first.node.path} and now to ${guest.node.path}; two guests cannot share a MAC address. Omit 'mac' to derive one per guest.`);
    }
    const mac = this.mac ?? MacAddress.derive(`${this.node.path}@${guest.node.path}`);

    const iface = this.renderInterface(guest, mac);
    const config: GuestDeviceConfig = {
      interfaces: [iface],
      requiresQ35: true,
      requiresLockedMemory: this.lockMemory,
      hardwarePassthrough: true,
    };
    this.bound.set(guest, config);
    this.macs.set(guest, mac);
    return config;
  }

  private renderInterface(guest: IGuest, mac: MacAddress): DomainDevicesInterfaces {
    // Merged with Object.assign rather than spread syntax: see VirtualMachine.addNic.
    const extras: DomainDevicesInterfaces = this.vlan !== undefined
      ? { mac: { address: mac.toString() }, vlan: { tags: [{ id: this.vlan }] } }
      : { mac: { address: mac.toString() } };
    const spec = this.vf._spec;
    switch (this.vf._kind) {
      case VfKind.POOL: {
        const attachment = spec.network!.attach(guest);
        return Object.assign({}, attachment.interface, extras);
      }
      case VfKind.LOOKUP: {
        const lookup = spec.lookup!;
        const claim = lookup._claim();
        if (claim) claimForGuest(this, guest, claim.kind, claim.key, 'vf');
        if (spec.physicalFunction !== undefined) guest.host.drawVirtualFunction(spec.physicalFunction, guest, 'vf');
        return hostdevInterface(lookup.address, extras);
      }
      default: {
        const address = this.addressFor(guest);
        claimForGuest(this, guest, 'PCI device', address.toString(), 'vf');
        const pf = spec.physicalFunction ?? pfOf(this.host, address);
        if (pf !== undefined) guest.host.drawVirtualFunction(pf, guest, 'vf');
        return hostdevInterface(address.toNumbers(), extras);
      }
    }
  }

  private addressFor(guest: IGuest): PciAddress {
    const spec = this.vf._spec;
    switch (this.vf._kind) {
      case VfKind.ADDRESS:
        return spec.addresses![0];
      case VfKind.PER_MEMBER: {
        const addresses = spec.addresses!;
        const i = guest.memberIndex;
        if (!(i >= 0 && i < addresses.length)) {
          throw new ValidationError(this, 'vf', addresses.map(String), `one VF address per cluster member (member index ${i} of ${guest.node.path} has none)`,
            'Add an address for every member, or use VirtualFunction.fromPool.');
        }
        return addresses[i];
      }
      default: {
        const name = spec.physicalFunction!;
        const pf = this.host.physicalFunction(name);
        const free = (pf.vfAddresses ?? []).find((a) => {
          const holder = this.host.claimant('PCI device', a.toString());
          return holder === undefined;
        });
        if (!free) {
          throw new ValidationError(this, 'vf', name, `a PF with a VF address not yet used on ${this.host.node.path}`,
            `All ${pf.vfAddresses!.length} listed VFs of ${name} are taken (the last asked for by ${guest.node.path}). `
            + 'Create more VFs (sriov_numvfs) and list them in the inventory.');
        }
        return free;
      }
    }
  }

  private checkAddressesBelongToPf(name: string, addresses: PciAddress[]): void {
    const declared = this.host.inventory.sriovPhysicalFunctions;
    if (!declared || declared.length === 0) return;
    const pf = this.host.physicalFunction(name);
    if (!pf.vfAddresses) return;
    for (const a of addresses) {
      if (!pf.vfAddresses.some((v) => v.isEqual(a))) {
        throw new ValidationError(this, 'vf', a, `one of the VFs of ${name} listed in the inventory of ${this.host.node.path} (${pf.vfAddresses.map(String).join(', ')})`);
      }
    }
  }
}

function checkAddress(where: string, prop: string, address: PciAddress): void {
  if (!(address instanceof PciAddress)) {
    throw new ValidationError(where, prop, address, 'a PciAddress (PciAddress.of("0000:3b:02.3"))');
  }
}

/** The inventory PF whose `vfAddresses` include `address`. */
function pfOf(host: LibvirtHost, address: PciAddress): string | undefined {
  return (host.inventory.sriovPhysicalFunctions ?? []).find((pf) => (pf.vfAddresses ?? []).some((v) => v.isEqual(address)))?.name;
}

function hostdevInterface(address: PciAddressNumbers, extras: DomainDevicesInterfaces): DomainDevicesInterfaces {
  return Object.assign({
    managed: true,
    driver: { name: 'vfio' },
    source: { hostdev: { pci: { address: { domain: address.domain, bus: address.bus, slot: address.slot, function: address.function } } } },
  }, extras);
}
