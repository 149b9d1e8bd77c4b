import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LibvirtHost, PciAddress, PciAddressNumbers } from '../core';
import { internedId } from '../core/interned-id';
import { ValidationError } from '../core/validation-error';
import { DataLibvirtNodeDeviceInfo } from '../imports/libvirt/data-libvirt-node-device-info';
import { DataLibvirtNodeDevices } from '../imports/libvirt/data-libvirt-node-devices';

/** Options for `NodeDeviceLookup.pciByName`. */
export interface NodeDeviceLookupOptions {
  /**
   * The host whose devices are looked up.
   * @default - the stack's only `LibvirtHost`
   */
  readonly host?: LibvirtHost;
}

/** Options for `NodeDeviceLookup.vfOfInterface`. */
export interface VirtualFunctionLookupOptions extends NodeDeviceLookupOptions {
  /**
   * The physical function (PF) the VF belongs to, as named in the host inventory (e.g. `ens1f0`).
   * When given, the VF counts against that PF's `vfCount`; the provider cannot tell which PF a VF
   * belongs to, so without it the VF is not counted.
   * @default - the VF is not counted against any PF
   */
  readonly physicalFunction?: string;
}

const NODEDEV_NAME_RE = /^pci_[0-9a-fA-F]{4}_[0-9a-fA-F]{2}_[0-9a-fA-F]{2}_[0-7]$/;
const IFNAME_RE = /^[^\s/:]{1,15}$/;

/**
 * Finds a host PCI device (or an SR-IOV VF) through the provider's node-device data sources
 * (`libvirt_node_devices`, `libvirt_node_device_info`), which Terraform reads during plan.
 *
 * The result feeds `VirtualFunction.fromLookup` (a VF NIC) or `PassthroughSource.fromLookup`
 * (PCI passthrough). Addresses read from the host are Terraform expressions at synth time, so
 * the synth-time checks (one guest per device, VF counts) cannot compare them; a lookup by a
 * literal `pci_*` name is parsed at synth and is checked like a literal address.
 *
 * What the data sources cannot do: list the VFs of a PF, report the kernel driver, or find a VF
 * that is already bound to `vfio-pci` by its interface name (it then has no `net_*` device;
 * use `pciByName`).
 *
 * @example
 * const vf = NodeDeviceLookup.vfOfInterface(stack, 'Vf3', 'ens1f0v3', { physicalFunction: 'ens1f0' });
 * new SriovNic(stack, 'Uplink', { vf: VirtualFunction.fromLookup(vf), vlan: 100 });
 */
export class NodeDeviceLookup extends Construct {
  /**
   * A PCI device by its libvirt node-device name, e.g. `pci_0000_3b_02_3` (`virsh nodedev-list --cap pci`).
   *
   * Plan fails when the host has no such device. A literal name is also parsed at synth, so the
   * address is known and checked for double use.
   */
  public static pciByName(scope: Construct, id: string, name: string, options: NodeDeviceLookupOptions = {}): NodeDeviceLookup {
    return new NodeDeviceLookup(scope, id, { name, host: options.host });
  }

  /**
   * The PCI device behind a host network interface, typically an SR-IOV VF such as `ens1f0v3`
   * (or a PF). Chain: the host's `net` devices, the one named `net_<interface>_<mac>`, its parent
   * (`pci_*`), that device's domain/bus/slot/function.
   *
   * Plan fails with a clear message when no (or more than one) net device matches, e.g. because
   * the VF is bound to `vfio-pci` and has no network interface any more.
   */
  public static vfOfInterface(scope: Construct, id: string, interfaceName: string, options: VirtualFunctionLookupOptions = {}): NodeDeviceLookup {
    return new NodeDeviceLookup(scope, id, { interfaceName, host: options.host, physicalFunction: options.physicalFunction });
  }

  /** The host whose devices are looked up. */
  public readonly host: LibvirtHost;
  /** The PCI node-device name (`pci_0000_3b_02_3`); a Terraform expression for interface lookups. */
  public readonly nodeDeviceName: string;
  /** The decimal PCI address numbers for the provider's `address` objects (Terraform expressions unless known at synth). */
  public readonly address: PciAddressNumbers;
  /**
   * The address, when it is known at synth (a lookup by a literal `pci_*` name).
   */
  public readonly knownAddress?: PciAddress;
  /** The host network interface looked up, for `vfOfInterface`. */
  public readonly interfaceName?: string;
  /** The PF the VF counts against, when given. */
  public readonly physicalFunction?: string;
  /** The `libvirt_node_device_info` data source of the PCI device (vendor, product, IOMMU group...). */
  public readonly pciDevice: DataLibvirtNodeDeviceInfo;
  /** The `libvirt_node_devices` data source listing the host's `net` devices, for `vfOfInterface`. */
  public readonly netDevices?: DataLibvirtNodeDevices;
  /** The `libvirt_node_device_info` data source of the network interface, for `vfOfInterface`. */
  public readonly netDevice?: DataLibvirtNodeDeviceInfo;

  private constructor(scope: Construct, id: string, props: { name?: string; interfaceName?: string; host?: LibvirtHost; physicalFunction?: string }) {
    super(scope, internedId(id));
    this.host = LibvirtHost.of(this, props.host);
    const provider = this.host.provider;

    if (props.name !== undefined) {
      const name = props.name;
      if (!Token.isUnresolved(name)) {
        if (typeof name !== 'string' || !NODEDEV_NAME_RE.test(name)) {
          throw new ValidationError(this, 'name', name, 'a PCI node-device name pci_DDDD_BB_SS_F (e.g. "pci_0000_3b_02_3")',
            'List them with `virsh nodedev-list --cap pci`.');
        }
        this.knownAddress = PciAddress.fromNodeDeviceName(name);
      }
      this.nodeDeviceName = name;
      this.pciDevice = new DataLibvirtNodeDeviceInfo(this, 'PciDevice', { provider, name });
    } else {
      const ifname = props.interfaceName as string;
      if (!Token.isUnresolved(ifname) && (typeof ifname !== 'string' || !IFNAME_RE.test(ifname))) {
        throw new ValidationError(this, 'interfaceName', ifname, 'a host network interface name of 1-15 characters (e.g. "ens1f0v3")');
      }
      this.interfaceName = ifname;
      this.netDevices = new DataLibvirtNodeDevices(this, 'NetDevices', { provider, capability: 'net' });
      // libvirt names net devices net_<ifname>_<mac>, with characters other than [A-Za-z0-9_] as '_'.
      const stem = Token.isUnresolved(ifname) ? Fn.replace(ifname, '/[^A-Za-z0-9_]/', '_') : ifname.replace(/[^A-Za-z0-9_]/g, '_');
      const matches = Fn.regexall(`net_${stem}_[0-9a-f]{2}(?:_[0-9a-f]{2}){5}`, Fn.join(',', this.netDevices.devices));
      this.netDevice = new DataLibvirtNodeDeviceInfo(this, 'NetDevice', {
        provider,
        name: Token.asString(Fn.one(matches)),
        lifecycle: {
          precondition: [{
            condition: Op.eq(Fn.lengthOf(matches), 1),
            errorMessage: `Expected exactly one net device for interface ${ifname} on ${this.host.node.path}. `
              + 'A VF bound to vfio-pci has no network interface; look it up with NodeDeviceLookup.pciByName instead.',
          }],
        },
      });
      this.nodeDeviceName = this.netDevice.parent;
      this.pciDevice = new DataLibvirtNodeDeviceInfo(this, 'PciDevice', { provider, name: this.netDevice.parent });
    }

    this.physicalFunction = props.physicalFunction;
    if (this.physicalFunction !== undefined) {
      const declared = this.host.inventory.sriovPhysicalFunctions;
      if (declared && declared.length > 0) this.host.physicalFunction(this.physicalFunction);
    }

    const cap = this.pciDevice.capability;
    this.address = this.knownAddress ? this.knownAddress.toNumbers() : {
      domain: cap.domain,
      bus: cap.bus,
      slot: cap.slot,
      function: cap.function,
    };
  }

  /**
   * The key this device is claimed under on its host: the address when known, else the
   * interface name (so the same interface is not handed out twice either).
   * @internal
   */
  public _claim(): { kind: string; key: string } | undefined {
    if (this.knownAddress) return { kind: 'PCI device', key: this.knownAddress.toString() };
    if (this.interfaceName !== undefined) return { kind: 'VF interface name', key: this.interfaceName };
    return undefined;
  }
}
