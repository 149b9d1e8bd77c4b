import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  GuestDeviceConfig, IGuest, IGuestDevice, LibvirtHost, PciAddress, PciAddressNumbers, PciDeviceInventory,
} from '../core';
import { NodeDeviceLookup } from './node-device-lookup';
import { internedId } from '../core/interned-id';
import { ValidationError } from '../core/validation-error';
import { checkSameHost, claimForGuest, normalizeUsbId, normalizeUuid, validateAbsolutePath } from './private/binding';
import { DomainDevicesHostdevs } from '../imports/libvirt/domain';

/** The kind of device passed through (internal). */
enum SourceKind {
  PCI = 'pci',
  INVENTORY_NAME = 'inventory-name',
  USB = 'usb',
  MDEV = 'mdev',
  LOOKUP = 'lookup',
}

/** What a `PassthroughSource` holds (internal). */
interface SourceSpec {
  readonly address?: PciAddress;
  readonly companions?: number[];
  readonly vendorId?: string;
  readonly name?: string;
  readonly vendor?: string;
  readonly product?: string;
  readonly uuid?: string;
  readonly lookup?: NodeDeviceLookup;
}

/** Options for `PassthroughSource.pci`. */
export interface PciPassthroughOptions {
  /**
   * Other functions of the same device to pass along, e.g. `[1]` for a GPU's HDMI audio at `.1`.
   * All functions of a multifunction device must go to the same guest.
   * @default - none
   */
  readonly companionFunctions?: number[];
  /**
   * The PCI vendor id (4 hex digits, e.g. `10de` for NVIDIA), for documentation and vendor hints.
   * @default - unknown
   */
  readonly vendorId?: string;
}

const PCI_VENDOR_NVIDIA = '10de';

/**
 * What a `PassthroughDevice` hands to the guest: a PCI device (by address, from the host
 * inventory, or found at plan time), a USB device by vendor/product id, or a mediated device
 * (mdev, e.g. a vGPU slice) by UUID.
 *
 * @example
 * PassthroughSource.pci(PciAddress.of('0000:65:00.0'), { companionFunctions: [1] });
 * PassthroughSource.inventory('gpu0');
 * PassthroughSource.usb('046d', 'c52b');
 * PassthroughSource.mediatedDevice('4b20d080-1b54-4048-85b3-a6a62d165c01');
 */
export class PassthroughSource {
  /**
   * A host PCI device by address, through VFIO (`managed`, driver `vfio`).
   */
  public static pci(address: PciAddress, options: PciPassthroughOptions = {}): PassthroughSource {
    const where = 'PassthroughSource.pci';
    if (!(address instanceof PciAddress)) {
      throw new ValidationError(where, 'address', address, 'a PciAddress (PciAddress.of("0000:65:00.0"))');
    }
    const companions = checkCompanions(where, address, options.companionFunctions);
    const vendorId = options.vendorId === undefined ? undefined : pciVendor(where, options.vendorId);
    return new PassthroughSource(SourceKind.PCI, { address, companions, vendorId });
  }

  /**
   * A PCI device from the host inventory by its name (e.g. `gpu0`); its address, companion
   * functions and vendor come from the inventory.
   */
  public static inventory(name: string): PassthroughSource {
    if (typeof name !== 'string' || name.length === 0) {
      throw new ValidationError('PassthroughSource.inventory', 'name', name, 'the name of a PCI device in the host inventory');
    }
    return new PassthroughSource(SourceKind.INVENTORY_NAME, { name });
  }

  /**
   * A PCI device as the host inventory describes it, e.g. `host.pciDevice('gpu0')`.
   */
  public static inventoryDevice(device: PciDeviceInventory): PassthroughSource {
    if (!device || !(device.address instanceof PciAddress)) {
      throw new ValidationError('PassthroughSource.inventoryDevice', 'device', device, 'a PCI device from the host inventory (host.pciDevice(name))');
    }
    return PassthroughSource.pci(device.address, { companionFunctions: device.companionFunctions, vendorId: device.vendorId });
  }

  /**
   * A USB device by vendor and product id (`lsusb` shows `vendor:product`). Four hex digits each,
   * with or without `0x`. Needs provider 0.9.5 or later.
   */
  public static usb(vendorId: string, productId: string): PassthroughSource {
    const vendor = normalizeUsbId('PassthroughSource.usb', 'vendorId', vendorId);
    const product = normalizeUsbId('PassthroughSource.usb', 'productId', productId);
    return new PassthroughSource(SourceKind.USB, { vendor, product });
  }

  /**
   * A mediated device (mdev), e.g. an NVIDIA vGPU or Intel GVT-g slice, by the UUID it was
   * created with on the host (`mdevctl list`). Needs provider 0.9.5 or later.
   */
  public static mediatedDevice(uuid: string): PassthroughSource {
    return new PassthroughSource(SourceKind.MDEV, { uuid: normalizeUuid('PassthroughSource.mediatedDevice', 'uuid', uuid) });
  }

  /**
   * A PCI device found on the host at plan time with `NodeDeviceLookup`.
   */
  public static fromLookup(lookup: NodeDeviceLookup): PassthroughSource {
    return new PassthroughSource(SourceKind.LOOKUP, { lookup });
  }

  /** @internal */
  public readonly _kind: SourceKind;
  /** @internal */
  public readonly _spec: SourceSpec;

  private constructor(kind: SourceKind, spec: SourceSpec) {
    this._kind = kind;
    this._spec = spec;
  }
}

/** Properties of a `PassthroughDevice`. */
export interface PassthroughDeviceProps {
  /** The device to pass through. */
  readonly source: PassthroughSource;
  /**
   * The host the device is in.
   * @default - the lookup's host for `PassthroughSource.fromLookup`, otherwise the stack's only `LibvirtHost`
   */
  readonly host?: LibvirtHost;
  /**
   * Whether the guest sees the device's option ROM BAR (`<rom bar='on|off'/>`). PCI devices only.
   * @default - libvirt's default (the ROM BAR is visible)
   */
  readonly romBar?: boolean;
  /**
   * A ROM image on the host to present instead of the device's own (`<rom file=.../>`), e.g. a
   * patched GPU VBIOS. An absolute path on the libvirt host. PCI devices only.
   * @default - the device's own ROM
   */
  readonly romFile?: string;
  /**
   * Hide the KVM hypervisor signature from the guest (`<kvm><hidden state='on'/>`). NVIDIA
   * consumer drivers before R465 refuse to start in a VM without it (error 43).
   * @default false
   */
  readonly hideKvmSignature?: boolean;
  /**
   * Lock the guest's memory in host RAM (`<memoryBacking><locked/>`). libvirt raises the
   * memlock limit that VFIO needs by itself; set this for realtime or DPDK guests, or devices
   * whose vendor asks for it.
   * @default false
   */
  readonly lockMemory?: boolean;
}

/**
 * Gives a host device to a guest: PCI passthrough through VFIO (GPUs, NVMe drives, NICs, with
 * all functions of a multifunction device together), USB passthrough by vendor/product id, or a
 * mediated device (vGPU) by UUID.
 *
 * The guest gets what it needs with it: the q35 machine type (PCIe) for PCI and mdev devices,
 * optionally locked memory and a hidden KVM signature. A device belongs to one host and one
 * guest; giving it to a second guest on the same host fails at synth, naming both.
 *
 * Host prerequisites that Terraform cannot do: IOMMU enabled in firmware and on the kernel
 * command line (`intel_iommu=on` or `amd_iommu=on`, `iommu=pt`), the device in its own IOMMU
 * group (or its whole group passed through), and for mdevs the mdev created (`mdevctl`).
 *
 * @example
 * const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.inventory('gpu0'), hideKvmSignature: true });
 * new VirtualMachine(stack, 'Workstation', { devices: [gpu] });
 *
 * @see https://libvirt.org/formatdomain.html#host-device-assignment
 */
export class PassthroughDevice extends Construct implements IGuestDevice {
  /** The host the device is in. */
  public readonly host: LibvirtHost;
  /** What is passed through. */
  public readonly source: PassthroughSource;
  /** The device's PCI address, for PCI devices known at synth. */
  public readonly pciAddress?: PciAddress;
  /** The PCI vendor id (4 lower-case hex digits), when known. */
  public readonly vendorId?: string;

  private readonly companions: number[];
  private readonly romBar?: boolean;
  private readonly romFile?: string;
  private readonly hideKvmSignature: boolean;
  private readonly lockMemory: boolean;
  private readonly bound = new Map<IGuest, GuestDeviceConfig>();

  constructor(scope: Construct, id: string, props: PassthroughDeviceProps) {
    super(scope, internedId(id));
    if (!props || !(props.source instanceof PassthroughSource)) {
      throw new ValidationError(this, 'source', props?.source,
        'a PassthroughSource (PassthroughSource.pci, .inventory, .inventoryDevice, .usb, .mediatedDevice or .fromLookup)');
    }
    this.source = props.source;
    const spec = this.source._spec;

    if (this.source._kind === SourceKind.LOOKUP) {
      if (props.host && props.host !== spec.lookup!.host) {
        throw new ValidationError(this, 'host', props.host.node.path, `the lookup's host (${spec.lookup!.host.node.path})`);
      }
      this.host = spec.lookup!.host;
    } else {
      this.host = LibvirtHost.of(this, props.host);
    }

    this.companions = spec.companions ?? [];
    this.vendorId = spec.vendorId;
    if (this.source._kind === SourceKind.INVENTORY_NAME) {
      const device = this.host.pciDevice(spec.name!);
      this.pciAddress = device.address;
      this.companions = checkCompanions(this.node.path, device.address, device.companionFunctions);
      this.vendorId = device.vendorId === undefined ? undefined : pciVendor(this.node.path, device.vendorId);
    } else if (this.source._kind === SourceKind.PCI) {
      this.pciAddress = spec.address;
    } else if (this.source._kind === SourceKind.LOOKUP) {
      this.pciAddress = spec.lookup!.knownAddress;
    }

    const isPci = [SourceKind.PCI, SourceKind.INVENTORY_NAME, SourceKind.LOOKUP].includes(this.source._kind);
    if (!isPci && (props.romBar !== undefined || props.romFile !== undefined)) {
      throw new ValidationError(this, props.romFile !== undefined ? 'romFile' : 'romBar', props.romFile ?? props.romBar,
        'unset for a USB or mediated device', 'Option ROMs only exist on PCI devices.');
    }
    validateAbsolutePath(this, 'romFile', props.romFile);
    this.romBar = props.romBar;
    this.romFile = props.romFile;
    this.hideKvmSignature = props.hideKvmSignature ?? false;
    this.lockMemory = props.lockMemory ?? false;
  }

  /** True when the device is an NVIDIA PCI device (vendor `10de`), as far as known. */
  public get isNvidia(): boolean {
    return this.vendorId === PCI_VENDOR_NVIDIA;
  }

  /**
   * Binds the device to `guest`: checks the host, claims the device and returns the hostdevs.
   * Binding the same guest again returns the same result.
   */
  public bind(guest: IGuest): GuestDeviceConfig {
    const done = this.bound.get(guest);
    if (done) return done;
    checkSameHost(this, this.host, guest, 'source');

    const spec = this.source._spec;
    let hostdevs: DomainDevicesHostdevs[];
    let requiresQ35 = true;
    switch (this.source._kind) {
      case SourceKind.USB:
        claimForGuest(this, guest, 'USB device', `${spec.vendor}:${spec.product}`, 'source');
        hostdevs = [{ managed: true, subsysUsb: { source: { vendor: { id: spec.vendor }, product: { id: spec.product } } } }];
        requiresQ35 = false;
        break;
      case SourceKind.MDEV:
        claimForGuest(this, guest, 'mediated device', spec.uuid!, 'source');
        hostdevs = [{ managed: true, subsysMDev: { model: 'vfio-pci', source: { address: { uuid: spec.uuid! } } } }];
        break;
      case SourceKind.LOOKUP: {
        const claim = spec.lookup!._claim();
        if (claim) claimForGuest(this, guest, claim.kind, claim.key, 'source');
        hostdevs = [this.pciHostdev(spec.lookup!.address, true)];
        break;
      }
      default: {
        const primary = this.pciAddress!;
        const functions = [primary, ...this.companions.map((f) => primary.withFunction(f))];
        for (const a of functions) claimForGuest(this, guest, 'PCI device', a.toString(), 'source');
        hostdevs = functions.map((a, i) => this.pciHostdev(a.toNumbers(), i === 0));
      }
    }

    const config: GuestDeviceConfig = {
      hostdevs,
      requiresQ35,
      requiresLockedMemory: this.lockMemory,
      hideKvmSignature: this.hideKvmSignature,
      hardwarePassthrough: true,
    };
    this.bound.set(guest, config);
    return config;
  }

  private pciHostdev(address: PciAddressNumbers, primary: boolean): DomainDevicesHostdevs {
    // Built without spread syntax: see VirtualMachine.addNic.
    const hasRom = primary && (this.romBar !== undefined || this.romFile !== undefined);
    return {
      managed: true,
      subsysPci: {
        driver: { name: 'vfio' },
        source: { address: { domain: address.domain, bus: address.bus, slot: address.slot, function: address.function } },
      },
      rom: hasRom ? {
        bar: this.romBar === undefined ? undefined : this.romBar ? 'on' : 'off',
        file: this.romFile,
      } : undefined,
    };
  }
}

function checkCompanions(where: string, address: PciAddress, companions?: number[]): number[] {
  if (companions === undefined) return [];
  if (!Array.isArray(companions)) {
    throw new ValidationError(where, 'companionFunctions', companions, 'a list of function numbers from 0 to 7');
  }
  const seen = new Set<number>();
  for (const f of companions) {
    if (!Number.isInteger(f) || f < 0 || f > 7 || f === address.func || seen.has(f)) {
      throw new ValidationError(where, 'companionFunctions', companions,
        `distinct function numbers from 0 to 7 other than the device's own function (${address.func})`);
    }
    seen.add(f);
  }
  return [...companions].sort((a, b) => a - b);
}

function pciVendor(where: string, vendorId: string): string {
  const id = normalizeUsbId(where, 'vendorId', vendorId, 'PCI vendor');
  return Token.isUnresolved(id) ? id : id.slice(2);
}
