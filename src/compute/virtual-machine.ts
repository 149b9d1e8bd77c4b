import { Annotations, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { CloudInitOptions } from './cloud-init';
import { CloudInitNic, renderMetaData, renderNetworkConfig, renderUserData, validateCloudInit } from './cloud-init-render';
import {
  BootDevice, CpuMode, CpuTopology, CrashAction, DiskBus, Firmware, Graphics, MachineType, NestedVirtualization, NicModel,
} from './guest-options';
import { placeGuest } from './host-capacity';
import { createOwnedVolume, VolumeRef, volumeRef } from './volume-factory';
import {
  GuestDeviceConfig, Hypervisor, IBaseImage, IGuest, IGuestDevice, INetwork, IStoragePool, IVolume, NetworkKind, VolumeFormat,
} from '../core/contracts';
import { internedId } from '../core/interned-id';
import { LibvirtHost } from '../core/libvirt-host';
import { MacAddress } from '../core/mac-address';
import { kebabName, validateInt, validateName } from '../core/names';
import { producedString } from '../core/produced';
import { Size, SizeUnit } from '../core/size';
import { ValidationError } from '../core/validation-error';
import { CloudinitDisk } from '../imports/libvirt/cloudinit-disk';
import {
  Domain, DomainCpu, DomainDevices, DomainDevicesDisks, DomainDevicesGraphics, DomainDevicesHostdevs, DomainDevicesInterfaces,
  DomainFeatures, DomainMemoryBacking, DomainOs,
} from '../imports/libvirt/domain';

/**
 * How a NIC gets its IPv4 address.
 *
 * @example
 * IpAssignment.allocate();            // the next free address of the network (DHCP lease + DNS record)
 * IpAssignment.fixed('10.10.0.50');   // that address (DHCP lease + DNS record)
 * IpAssignment.dhcp();                // whatever the network's DHCP server hands out
 */
export class IpAssignment {
  /** The next free address of the network's allocator, registered as a DHCP lease and a DNS record. */
  public static allocate(): IpAssignment {
    return new IpAssignment('allocate');
  }

  /** A given address, registered as a DHCP lease and a DNS record. It must lie inside the network's subnet. */
  public static fixed(address: string): IpAssignment {
    return new IpAssignment('fixed', address);
  }

  /** Plain DHCP: no reservation; the address is not known at synth. */
  public static dhcp(): IpAssignment {
    return new IpAssignment('dhcp');
  }

  private constructor(
    /** `allocate`, `fixed` or `dhcp`. */
    public readonly kind: string,
    /** The address of a `fixed` assignment. */
    public readonly address?: string,
  ) {}

  /** `allocate`, `dhcp` or the fixed address. */
  public toString(): string {
    return this.address ?? this.kind;
  }
}

/** A NIC of a guest. */
export interface NicOptions {
  /** The network the NIC is on (on the guest's host). */
  readonly network: INetwork;
  /**
   * The MAC address.
   * @default - derived from the guest's construct path and the network, so it is stable across synths
   */
  readonly mac?: MacAddress;
  /**
   * How the NIC gets its IPv4 address.
   * @default - `IpAssignment.allocate()` when the network manages an IPv4 subnet (isolated, NAT, routed), else `IpAssignment.dhcp()`
   */
  readonly ipAssignment?: IpAssignment;
  /**
   * The emulated NIC model (not used on SR-IOV networks).
   * @default NicModel.VIRTIO
   */
  readonly model?: NicModel;
  /**
   * The default gateway written into cloud-init's network-config for a static address.
   * @default - the network's gateway (its `gatewayAddress`, else its first host address) on NAT and routed networks; none on isolated networks
   */
  readonly gateway?: string;
  /**
   * DNS servers written into cloud-init's network-config for a static address.
   * @default - the network's gateway address (libvirt's dnsmasq)
   */
  readonly nameservers?: string[];
}

/** A data disk or CD-ROM of a guest. */
export interface DiskOptions {
  /**
   * The size of a new, empty volume created for this disk.
   * @default - none; `volume` must be given
   */
  readonly size?: Size;
  /**
   * An existing volume to attach instead of creating one.
   * @default - a new volume of `size`
   */
  readonly volume?: IVolume;
  /**
   * The pool the new volume is created in.
   * @default - the guest's `pool`
   */
  readonly pool?: IStoragePool;
  /**
   * The format of the new volume.
   * @default VolumeFormat.QCOW2
   */
  readonly format?: VolumeFormat;
  /**
   * The bus; it decides the device name (`vdX` or `sdX`).
   * @default DiskBus.VIRTIO (DiskBus.SATA for a CD-ROM)
   */
  readonly bus?: DiskBus;
  /**
   * Attach the disk read-only.
   * @default false (true for a CD-ROM)
   */
  readonly readOnly?: boolean;
  /**
   * Attach the volume as a CD-ROM (`device = "cdrom"`).
   * @default false
   */
  readonly cdrom?: boolean;
}

/** A disk attached to a guest. */
export interface AttachedDisk {
  /** The disk's name in the guest's construct tree (e.g. `boot`, `data`). */
  readonly name: string;
  /** The guest device name, e.g. `vdb` or `sda`. */
  readonly device: string;
  /** The bus. */
  readonly bus: DiskBus;
  /** The volume's libvirt name. */
  readonly volumeName: string;
  /** The volume. */
  readonly volume: IVolume;
}

/** A NIC attached to a guest. */
export interface AttachedNic {
  /** The network the NIC is on. */
  readonly network: INetwork;
  /** The MAC address. */
  readonly mac: MacAddress;
  /**
   * The reserved IPv4 address.
   * @default - none (DHCP)
   */
  readonly address?: string;
}

/** What a guest is: CPU, memory, firmware, devices and first-boot setup. Shared by `VirtualMachine` and `VmCluster`. */
export interface GuestOptions {
  /**
   * Virtual CPUs.
   * @default 1
   */
  readonly vcpus?: number;
  /**
   * How the vCPUs are laid out as sockets, cores and threads.
   * @default - one socket with `vcpus` cores (libvirt's default)
   */
  readonly cpuTopology?: CpuTopology;
  /**
   * The guest's memory: the maximum the balloon can grow to (`memory`).
   * @default Size.gibibytes(1)
   */
  readonly memory?: Size;
  /**
   * The memory the guest starts with (`current_memory`); the virtio balloon moves it between this
   * and `memory`.
   * @default - equal to `memory`
   */
  readonly currentMemory?: Size;
  /**
   * The hypervisor driver.
   * @default Hypervisor.KVM
   */
  readonly hypervisor?: Hypervisor;
  /**
   * How the virtual CPU is presented.
   * @default - CpuMode.hostPassthrough() on KVM; QEMU's default model on TCG
   */
  readonly cpuMode?: CpuMode;
  /**
   * Expose the CPU's virtualization extension so the guest can run its own VMs. Needs KVM and
   * nested virtualization enabled in the host's kvm module.
   * @default - not required (host-passthrough still shows it when the host allows nesting)
   */
  readonly nestedVirtualization?: NestedVirtualization;
  /**
   * The chipset.
   * @default MachineType.Q35
   */
  readonly machineType?: MachineType;
  /**
   * The firmware.
   * @default Firmware.BIOS
   */
  readonly firmware?: Firmware;
  /**
   * UEFI secure boot with enrolled keys (needs `Firmware.UEFI` and q35).
   * @default false
   */
  readonly secureBoot?: boolean;
  /**
   * Boot devices, in order.
   * @default [BootDevice.HD]
   */
  readonly bootOrder?: BootDevice[];
  /**
   * Let the host's KSM merge this guest's identical pages. `false` emits `<nosharepages/>`.
   * @default true
   */
  readonly ksm?: boolean;
  /**
   * Back the guest's memory with huge pages of this size (the host must have them reserved).
   * @default - normal pages
   */
  readonly hugepageSize?: Size;
  /**
   * Start the guest when the host boots.
   * @default false
   */
  readonly autostart?: boolean;
  /**
   * Start the guest after defining it. The provider's own default (v0.9) is to only define it.
   * @default true
   */
  readonly running?: boolean;
  /**
   * What libvirt does when the guest crashes.
   * @default - libvirt's default (CrashAction.DESTROY)
   */
  readonly onCrash?: CrashAction;
  /**
   * A remote display (VNC or SPICE), on loopback unless told otherwise.
   * @default - none (serial console only)
   */
  readonly graphics?: Graphics;
  /**
   * The QEMU guest-agent channel (`org.qemu.guest_agent.0`).
   * @default true
   */
  readonly guestAgent?: boolean;
  /**
   * A virtio RNG fed from the host's `/dev/urandom`.
   * @default true
   */
  readonly rng?: boolean;
  /**
   * The virtio memory balloon.
   * @default true
   */
  readonly memoryBalloon?: boolean;
  /**
   * The image the boot disk is a linked clone of.
   * @default - no boot disk
   */
  readonly bootImage?: IBaseImage;
  /**
   * The boot disk's virtual size (the guest grows its root file system into it with cloud-init's growpart).
   * @default - the image's virtual size, when known at synth (`BaseImage` `virtualSize`); required otherwise
   */
  readonly bootDiskSize?: Size;
  /**
   * First-boot setup with cloud-init (a NoCloud seed ISO attached as a CD-ROM).
   * @default - no cloud-init seed
   */
  readonly cloudInit?: CloudInitOptions;
}

/** Properties of a `VirtualMachine`. */
export interface VirtualMachineProps extends GuestOptions {
  /**
   * The host the guest runs on.
   * @default - the stack's only LibvirtHost
   */
  readonly host?: LibvirtHost;
  /**
   * The libvirt domain name (unique per host).
   * @default - derived from the construct id (`WebServer` -> `web-server`)
   */
  readonly name?: string;
  /**
   * The pool the boot disk, new data disks and the cloud-init seed are created in.
   * @default - none; required when the guest creates any volume
   */
  readonly pool?: IStoragePool;
  /**
   * NICs; sugar for `addNic`.
   * @default - none
   */
  readonly nics?: NicOptions[];
  /**
   * Data disks and CD-ROMs, by name; sugar for `addDisk`.
   * @default - none
   */
  readonly disks?: NamedDiskOptions[];
  /**
   * Devices (SR-IOV NICs, passthrough devices...); sugar for `addDevice`.
   * @default - none
   */
  readonly devices?: IGuestDevice[];
  /**
   * The guest's position in its `VmCluster`.
   * @default 0
   */
  readonly memberIndex?: number;
}

/** A data disk with its name, for the `disks` prop. */
export interface NamedDiskOptions extends DiskOptions {
  /** The disk's name: used in the volume name (`<vm>-<name>`) and the construct id. */
  readonly name: string;
}

interface DiskEntry {
  readonly name: string;
  readonly device: string;
  readonly bus: DiskBus;
  readonly cdrom: boolean;
  readonly readOnly: boolean;
  readonly ref: VolumeRef;
}

interface NicEntry {
  readonly attached?: AttachedNic;
  readonly iface: DomainDevicesInterfaces;
  readonly cloudInit?: CloudInitNic;
}

const DEFAULT_MEMORY = Size.gibibytes(1);
const SUBNET_KINDS = [NetworkKind.ISOLATED, NetworkKind.NAT, NetworkKind.ROUTED];

/**
 * One libvirt guest (`libvirt_domain`) with the devices a careful admin would give it: virtio disk
 * and NIC, a serial console, the QEMU guest-agent channel, a virtio RNG and memory balloon, and no
 * graphics unless asked. Its boot disk is a linked clone of a base image; cloud-init configures it
 * at first boot.
 *
 * Every change to a libvirt domain reboots it (the provider undefines and redefines it).
 *
 * @example
 * const vm = new VirtualMachine(stack, 'Web', {
 *   pool, bootImage: ubuntu, vcpus: 2, memory: Size.gibibytes(4),
 *   nics: [{ network: labNet }],
 *   cloudInit: { users: [{ name: 'ops', sshAuthorizedKeys: ['ssh-ed25519 AAAA... ops'] }] },
 * });
 * vm.addDisk('data', { size: Size.gibibytes(50) });
 */
export class VirtualMachine extends Construct implements IGuest {
  /** True when `x` is a `VirtualMachine`. */
  public static isVirtualMachine(x: any): x is VirtualMachine {
    return x !== null && typeof x === 'object' && x instanceof VirtualMachine;
  }

  /** The host the guest runs on. */
  public readonly host: LibvirtHost;
  /** The libvirt domain name. */
  public readonly guestName: string;
  /** The hypervisor driver. */
  public readonly hypervisor: Hypervisor;
  /** The guest's position in its cluster (0 for a lone guest). */
  public readonly memberIndex: number;
  /** The guest's (maximum) memory. */
  public readonly memory: Size;
  /** The guest's current memory (balloon target at boot). */
  public readonly currentMemory: Size;
  /** Virtual CPUs. */
  public readonly vcpus: number;
  /** The chipset. */
  public readonly machineType: MachineType;
  /**
   * The L1 `libvirt_domain` (escape hatch: `vm.domain.addOverride('devices.tpms', [...])`).
   */
  public readonly domain: Domain;
  /** The boot disk, when the guest has one. */
  public readonly bootDisk?: AttachedDisk;
  /** The cloud-init seed (`libvirt_cloudinit_disk`), when cloud-init is configured. */
  public readonly cloudInitDisk?: CloudinitDisk;
  /** The volume the cloud-init seed ISO is uploaded to, when cloud-init is configured. */
  public readonly cloudInitVolume?: IVolume;

  private readonly props: VirtualMachineProps;
  private readonly pool?: IStoragePool;
  private readonly cpuMode?: CpuMode;
  private readonly disks: DiskEntry[] = [];
  private readonly nicEntries: NicEntry[] = [];
  private readonly hostdevs: DomainDevicesHostdevs[] = [];
  private readonly diskNames = new Set<string>();
  private readonly macs = new Map<string, string>();
  private readonly nicSeeds = new Map<string, number>();
  private lockedMemory = false;
  private hideKvm = false;
  /** True until the constructor has added its disks, NICs and devices: they render once, at its end. */
  private building = true;

  constructor(scope: Construct, id: string, props: VirtualMachineProps = {}) {
    super(scope, internedId(id));
    this.props = props;
    this.host = LibvirtHost.of(this, props.host);
    this.guestName = validateName(this, 'name', props.name ?? kebabName(id));
    this.hypervisor = props.hypervisor ?? Hypervisor.KVM;
    this.memberIndex = validateInt(this, 'memberIndex', props.memberIndex ?? 0, 0);
    this.vcpus = validateInt(this, 'vcpus', props.vcpus ?? 1, 1, 4096);
    this.memory = props.memory ?? DEFAULT_MEMORY;
    this.currentMemory = props.currentMemory ?? this.memory;
    this.machineType = props.machineType ?? MachineType.Q35;
    this.cpuMode = props.cpuMode ?? (this.hypervisor === Hypervisor.KVM ? CpuMode.hostPassthrough() : undefined);
    this.pool = props.pool;

    this.validate();
    this.host.claim('domain name', this.guestName, this, 'name');
    placeGuest(this.host, { guest: this, vcpus: this.vcpus, memory: this.memory, hugepageSize: props.hugepageSize });
    if (props.graphics && !props.graphics.isLocalOnly) {
      Annotations.of(this).addWarning(
        `${props.graphics.protocol.toUpperCase()} listens on ${props.graphics.listen}: anyone who can reach host ${this.host.node.path} can open this guest's screen.`);
    }

    this.domain = new Domain(this, 'Resource', {
      provider: this.host.provider,
      name: this.guestName,
      type: this.hypervisor,
      running: props.running ?? true,
      autostart: props.autostart,
      onCrash: props.onCrash,
      vcpu: this.vcpus,
      ...memoryAttrs(this.memory, this.currentMemory),
      cpu: this.renderCpu(),
      os: this.renderOs(),
      // features, memoryBacking and devices: rendered once below, after the disks and NICs.
    });

    if (props.bootImage) {
      const pool = this.requirePool('pool', undefined, 'the boot disk');
      const base = props.bootImage.volumeIn(pool);
      const ref = createOwnedVolume(this, 'BootDisk', {
        pool,
        name: `${this.guestName}-boot.qcow2`,
        capacity: props.bootDiskSize === undefined ? undefined : this.positiveSize('bootDiskSize', props.bootDiskSize),
        format: VolumeFormat.QCOW2,
        backingStore: base,
      });
      this.bootDisk = this.attachDisk('boot', ref, DiskBus.VIRTIO, false, false);
    }
    if (props.cloudInit) {
      validateCloudInit(this, 'cloudInit', props.cloudInit);
      const pool = this.requirePool('cloudInit.pool', props.cloudInit.pool, 'the cloud-init seed');
      const hostname = props.cloudInit.hostname ?? this.guestName;
      this.cloudInitDisk = new CloudinitDisk(this, 'CloudInit', {
        provider: this.host.provider,
        name: `${this.guestName}-cloudinit`,
        userData: renderUserData(props.cloudInit, hostname),
        metaData: renderMetaData(this.guestName, hostname),
        networkConfig: producedString(() => renderNetworkConfig(this.cloudInitNics())),
      });
      const seed = createOwnedVolume(this, 'CloudInitVolume', {
        pool,
        name: `${this.guestName}-cloudinit.iso`,
        format: VolumeFormat.ISO,
        uploadPath: this.cloudInitDisk.path,
      });
      this.cloudInitVolume = seed.volume;
      this.attachDisk('cloudinit', seed, DiskBus.SATA, true, true);
    }
    (props.disks ?? []).forEach((d, i) => {
      if (d.name === undefined) throw new ValidationError(this, `disks[${i}].name`, d.name, 'a disk name');
      this.addDisk(d.name, d);
    });
    (props.nics ?? []).forEach((n) => this.addNic(n));
    (props.devices ?? []).forEach((d) => this.addDevice(d));
    this.building = false;
    this.refresh();
  }

  /** The disks in declaration order (boot disk, cloud-init seed, then data disks). */
  public get attachedDisks(): AttachedDisk[] {
    return this.disks.map((d) => toAttached(d));
  }

  /** The NICs in declaration order (device-provided interfaces excluded). */
  public get nics(): AttachedNic[] {
    return this.nicEntries.filter((n) => n.attached).map((n) => n.attached!);
  }

  /** The IPv4 addresses reserved for the guest's NICs, in NIC order (DHCP NICs have none). */
  public get addresses(): string[] {
    return this.nics.filter((n) => n.address !== undefined).map((n) => n.address!);
  }

  /**
   * Adds a data disk (a new volume of `size`, or an existing `volume`) or a CD-ROM. Device names
   * are assigned in call order per bus family: `vda`, `vdb`... for virtio, `sda`, `sdb`... for SATA/SCSI.
   *
   * @param name the disk's name, unique in the guest: used in the volume name and the construct id
   */
  public addDisk(name: string, options: DiskOptions): AttachedDisk {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(String(name))) {
      throw new ValidationError(this, 'addDisk.name', name, 'lower-case letters, digits and "-", starting with a letter or digit (at most 31)');
    }
    if (this.diskNames.has(name)) {
      throw new ValidationError(this, 'addDisk.name', name, 'a disk name not already used in this guest');
    }
    const cdrom = options.cdrom ?? false;
    const bus = options.bus ?? (cdrom ? DiskBus.SATA : DiskBus.VIRTIO);
    if (cdrom && bus === DiskBus.VIRTIO) {
      throw new ValidationError(this, `disks.${name}.bus`, bus, 'DiskBus.SATA or DiskBus.SCSI for a CD-ROM');
    }
    let ref: VolumeRef;
    if (options.volume) {
      if (options.size !== undefined) {
        throw new ValidationError(this, `disks.${name}.size`, options.size, 'left out when an existing volume is given');
      }
      this.checkOnHost(`disks.${name}.volume`, options.volume, options.volume.pool.host);
      ref = volumeRef(options.volume);
    } else {
      if (options.size === undefined) {
        throw new ValidationError(this, `disks.${name}.size`, undefined, 'a Size when no volume is given');
      }
      const pool = this.requirePool(`disks.${name}.pool`, options.pool, `disk "${name}"`);
      const format = options.format ?? VolumeFormat.QCOW2;
      if (format === VolumeFormat.ISO) {
        throw new ValidationError(this, `disks.${name}.format`, format, 'VolumeFormat.QCOW2 or VolumeFormat.RAW for a new volume');
      }
      ref = createOwnedVolume(this, `Disk${pascal(name)}`, {
        pool,
        name: `${this.guestName}-${name}.${format === VolumeFormat.RAW ? 'img' : 'qcow2'}`,
        capacity: this.positiveSize(`disks.${name}.size`, options.size),
        format,
      });
    }
    const disk = this.attachDisk(name, ref, bus, cdrom, options.readOnly ?? cdrom);
    this.refresh();
    return disk;
  }

  /**
   * Adds a NIC on `options.network`, with a deterministic MAC and (by default) a static address
   * from the network's allocator.
   */
  public addNic(options: NicOptions): AttachedNic {
    const network = options.network;
    const prop = `nics[${this.nics.length}]`;
    this.checkOnHost(`${prop}.network`, network, network.host);
    const seedBase = `${this.node.path}/nic/${network.node.path}`;
    const occurrence = this.nicSeeds.get(seedBase) ?? 0;
    this.nicSeeds.set(seedBase, occurrence + 1);
    const mac = options.mac ?? MacAddress.derive(occurrence === 0 ? seedBase : `${seedBase}#${occurrence}`);
    this.claimMac(`${prop}.mac`, mac.toString());

    const subnet = network.ipv4Subnet;
    const assignment = options.ipAssignment
      ?? (subnet && SUBNET_KINDS.includes(network.kind) ? IpAssignment.allocate() : IpAssignment.dhcp());
    let address: string | undefined;
    if (assignment.kind !== 'dhcp') {
      if (!subnet) {
        throw new ValidationError(this, `${prop}.ipAssignment`, assignment.toString(),
          `IpAssignment.dhcp() on network ${network.node.path}`, 'It manages no IPv4 subnet to reserve an address in.');
      }
      if (assignment.address !== undefined && !Token.isUnresolved(assignment.address) && !safeContains(subnet, assignment.address)) {
        throw new ValidationError(this, `${prop}.ipAssignment`, assignment.address,
          `an address inside ${subnet} (the subnet of network ${network.node.path})`);
      }
      const hostname = this.props.cloudInit?.hostname ?? this.guestName;
      address = network.reserveAddress({ claimant: this, mac, hostname, address: assignment.address });
    }

    const attachment = network.attach(this);
    // Object.assign, not spread syntax: the generated toTerraform functions read objects made by
    // spread about 3.5 times slower (V8), and a large lab renders thousands of these.
    const iface: DomainDevicesInterfaces = Object.assign({}, attachment.interface, {
      mac: { address: mac.toString() },
      model: network.kind === NetworkKind.SRIOV
        ? attachment.interface.model
        : (options.model ? { type: options.model } : attachment.interface.model ?? { type: NicModel.VIRTIO }),
    });
    let cloudInit: CloudInitNic = { mac: mac.toString() };
    if (address !== undefined && subnet) {
      const host1 = (network as { gatewayAddress?: string }).gatewayAddress ?? subnet.hostAddress(1);
      const routed = network.kind === NetworkKind.NAT || network.kind === NetworkKind.ROUTED;
      cloudInit = {
        mac: mac.toString(),
        cidr: `${address}/${subnet.prefixLength}`,
        gateway: options.gateway ?? (routed ? host1 : undefined),
        nameservers: options.nameservers ?? [host1],
      };
    }
    const attached: AttachedNic = { network, mac, address };
    this.nicEntries.push({ attached, iface, cloudInit });
    this.refresh();
    return attached;
  }

  /**
   * Binds a device (an SR-IOV NIC, a passthrough device...) to this guest and merges what it adds.
   */
  public addDevice(device: IGuestDevice): GuestDeviceConfig {
    const config = device.bind(this);
    if (config.requiresQ35 && !this.machineType.isQ35) {
      throw new ValidationError(this, 'machineType', this.machineType.name, 'MachineType.Q35 (a device needs PCIe)',
        'SR-IOV and PCIe passthrough need the q35 chipset.');
    }
    if (config.hardwarePassthrough && this.hypervisor === Hypervisor.QEMU) {
      Annotations.of(this).addWarning('Hardware is passed through to a QEMU (TCG) guest: passthrough needs KVM and an IOMMU; use Hypervisor.KVM.');
    }
    (config.interfaces ?? []).forEach((iface, k) => {
      const mac = iface.mac?.address ?? MacAddress.derive(`${this.node.path}/device/${this.nicEntries.length}/${k}`).toString();
      this.claimMac('devices.mac', mac);
      this.nicEntries.push({ iface: Object.assign({}, iface, { mac: Object.assign({}, iface.mac, { address: mac }) }) });
    });
    this.hostdevs.push(...(config.hostdevs ?? []));
    this.lockedMemory = this.lockedMemory || !!config.requiresLockedMemory;
    this.hideKvm = this.hideKvm || !!config.hideKvmSignature;
    this.refresh();
    return config;
  }

  private validate(): void {
    const p = this.props;
    this.positiveSize('memory', this.memory);
    if (!this.memory.isWholeNumberOf(SizeUnit.KIB)) {
      throw new ValidationError(this, 'memory', this.memory, 'a whole number of KiB');
    }
    if (p.currentMemory !== undefined) {
      this.positiveSize('currentMemory', p.currentMemory);
      if (p.currentMemory.compareTo(this.memory) > 0) {
        throw new ValidationError(this, 'currentMemory', p.currentMemory, `at most 'memory' (${this.memory})`,
          'The balloon can only shrink the guest below its maximum.');
      }
    }
    if (!Object.values(Hypervisor).includes(this.hypervisor)) {
      throw new ValidationError(this, 'hypervisor', this.hypervisor, `one of ${Object.values(Hypervisor).join(', ')}`);
    }
    if (this.hypervisor === Hypervisor.QEMU && this.cpuMode?.needsKvm) {
      throw new ValidationError(this, 'cpuMode', this.cpuMode.toString(), 'CpuMode.custom(...) on a QEMU (TCG) guest',
        `${this.cpuMode.mode} needs KVM; use CpuMode.custom('max') for the most capable emulated CPU.`);
    }
    if (p.nestedVirtualization !== undefined && this.hypervisor !== Hypervisor.KVM) {
      throw new ValidationError(this, 'nestedVirtualization', p.nestedVirtualization, 'left out on a QEMU (TCG) guest',
        'Nested virtualization needs Hypervisor.KVM.');
    }
    if (p.cpuTopology) {
      const t = p.cpuTopology;
      const sockets = validateInt(this, 'cpuTopology.sockets', t.sockets ?? 1, 1);
      const threads = validateInt(this, 'cpuTopology.threads', t.threads ?? 1, 1);
      const cores = validateInt(this, 'cpuTopology.cores', t.cores ?? Math.max(1, Math.floor(this.vcpus / (sockets * threads))), 1);
      if (sockets * cores * threads !== this.vcpus) {
        throw new ValidationError(this, 'cpuTopology', `${sockets} sockets × ${cores} cores × ${threads} threads`,
          `a layout of exactly ${this.vcpus} vCPUs ('vcpus')`);
      }
    }
    if (p.secureBoot) {
      if (p.firmware !== Firmware.UEFI) {
        throw new ValidationError(this, 'firmware', p.firmware ?? Firmware.BIOS, 'Firmware.UEFI when secureBoot is on');
      }
      if (!this.machineType.isQ35) {
        throw new ValidationError(this, 'machineType', this.machineType.name, 'MachineType.Q35 when secureBoot is on',
          'Secure boot needs SMM, which libvirt supports on q35 only.');
      }
    }
    if (p.hugepageSize !== undefined) {
      this.positiveSize('hugepageSize', p.hugepageSize);
      if (this.memory.toBytes() % p.hugepageSize.toBytes() !== 0) {
        throw new ValidationError(this, 'memory', this.memory, `a whole number of ${p.hugepageSize} huge pages ('hugepageSize')`);
      }
    }
    if (p.bootOrder !== undefined && p.bootOrder.length === 0) {
      throw new ValidationError(this, 'bootOrder', p.bootOrder, 'a non-empty list of boot devices');
    }
  }

  private positiveSize(prop: string, size: Size): Size {
    if (!size || typeof size.toBytes !== 'function' || size.toBytes() <= 0) {
      throw new ValidationError(this, prop, size, 'a size larger than 0');
    }
    return size;
  }

  private requirePool(prop: string, given: IStoragePool | undefined, what: string): IStoragePool {
    const pool = given ?? this.pool;
    if (!pool) {
      throw new ValidationError(this, prop, undefined, `a storage pool for ${what}`, 'Pass `pool` to the guest.');
    }
    this.checkOnHost(prop, pool, pool.host);
    return pool;
  }

  private checkOnHost(prop: string, thing: IConstruct, host: LibvirtHost): void {
    if (host !== this.host) {
      throw new ValidationError(this, prop, thing.node.path, `on the guest's host ${this.host.node.path}`,
        `It is on host ${host.node.path}; volumes and networks must be on the host the guest runs on.`);
    }
  }

  private claimMac(prop: string, mac: string): void {
    const holder = this.macs.get(mac);
    if (holder) {
      throw new ValidationError(this, prop, mac, 'a MAC address not used by another NIC of this guest', `${holder} already uses it.`);
    }
    this.macs.set(mac, prop);
    this.host.claim('MAC address', mac, this, prop);
  }

  private attachDisk(name: string, ref: VolumeRef, bus: DiskBus, cdrom: boolean, readOnly: boolean): AttachedDisk {
    if (!Object.values(DiskBus).includes(bus)) {
      throw new ValidationError(this, `disks.${name}.bus`, bus, `one of ${Object.values(DiskBus).join(', ')}`);
    }
    this.diskNames.add(name);
    const prefix = bus === DiskBus.VIRTIO ? 'vd' : 'sd';
    const used = this.disks.filter((d) => d.device.startsWith(prefix)).length;
    const entry: DiskEntry = { name, device: prefix + deviceSuffix(used), bus, cdrom, readOnly, ref };
    this.disks.push(entry);
    return toAttached(entry);
  }

  private cloudInitNics(): CloudInitNic[] {
    return this.nicEntries.filter((n) => n.cloudInit).map((n) => n.cloudInit!);
  }

  /** Renders the blocks that add-methods change (again, after construction). */
  private refresh(): void {
    if (this.building) return;
    this.domain.putDevices(this.renderDevices());
    this.domain.putFeatures(this.renderFeatures());
    const backing = this.renderMemoryBacking();
    if (backing) this.domain.putMemoryBacking(backing);
  }

  private renderCpu(): DomainCpu | undefined {
    const p = this.props;
    const mode = this.cpuMode;
    const topology = p.cpuTopology ? {
      sockets: p.cpuTopology.sockets ?? 1,
      threads: p.cpuTopology.threads ?? 1,
      cores: this.vcpus / ((p.cpuTopology.sockets ?? 1) * (p.cpuTopology.threads ?? 1)),
    } : undefined;
    const features = p.nestedVirtualization ? [{ policy: 'require', name: p.nestedVirtualization }] : undefined;
    if (!mode && !topology && !features) return undefined;
    return {
      mode: mode?.mode,
      model: mode?.model,
      topology,
      features,
    };
  }

  private renderOs(): DomainOs {
    const p = this.props;
    const uefi = p.firmware === Firmware.UEFI;
    return {
      type: 'hvm',
      typeArch: 'x86_64',
      typeMachine: this.machineType.name,
      firmware: uefi ? 'efi' : undefined,
      firmwareInfo: uefi ? {
        features: p.secureBoot
          ? [{ name: 'enrolled-keys', enabled: 'yes' }, { name: 'secure-boot', enabled: 'yes' }]
          : [{ name: 'secure-boot', enabled: 'no' }],
      } : undefined,
      loaderSecure: p.secureBoot ? 'yes' : undefined,
      bootDevices: (p.bootOrder ?? [BootDevice.HD]).map((dev) => ({ dev })),
    };
  }

  private renderFeatures(): DomainFeatures {
    return {
      acpi: true,
      apic: {},
      smm: this.props.secureBoot ? { state: 'on' } : undefined,
      kvm: this.hideKvm ? { hidden: { state: 'on' } } : undefined,
    };
  }

  private renderMemoryBacking(): DomainMemoryBacking | undefined {
    const p = this.props;
    const nosharepages = p.ksm === false;
    const huge = p.hugepageSize?.toLargestExactUnit();
    if (!nosharepages && !huge && !this.lockedMemory) return undefined;
    return {
      memoryNosharepages: nosharepages || undefined,
      memoryLocked: this.lockedMemory || undefined,
      memoryHugePages: huge ? { hugepages: [{ size: huge.amount, unit: huge.unit }] } : undefined,
    };
  }

  private renderDevices(): DomainDevices {
    const p = this.props;
    const disks: DomainDevicesDisks[] = this.disks.map((d) => ({
      device: d.cdrom ? 'cdrom' : 'disk',
      driver: { name: 'qemu', type: d.ref.format === VolumeFormat.ISO ? 'raw' : d.ref.format },
      source: { volume: { pool: d.ref.poolName, volume: d.ref.volumeName } },
      target: { dev: d.device, bus: d.bus },
      readOnly: d.readOnly || undefined,
    }));
    const graphics = p.graphics ? [renderGraphics(p.graphics)] : undefined;
    return {
      disks: disks.length ? disks : undefined,
      interfaces: this.nicEntries.length ? this.nicEntries.map((n) => n.iface) : undefined,
      hostdevs: this.hostdevs.length ? [...this.hostdevs] : undefined,
      consoles: [{ target: { type: 'serial', port: 0 } }],
      channels: p.guestAgent === false ? undefined : [{ source: { unix: {} }, target: { virtIo: { name: 'org.qemu.guest_agent.0' } } }],
      rngs: p.rng === false ? undefined : [{ model: 'virtio', backend: { random: '/dev/urandom' } }],
      memBalloon: { model: p.memoryBalloon === false ? 'none' : 'virtio' },
      graphics,
      videos: graphics ? [{ model: { type: 'virtio' } }] : undefined,
    };
  }
}

function memoryAttrs(memory: Size, current: Size): { memory: number; memoryUnit: string; currentMemory?: number; currentMemoryUnit?: string } {
  const max = memory.toLargestExactUnit();
  const cur = current.isEqual(memory) ? undefined : current.toLargestExactUnit();
  return {
    memory: max.amount,
    memoryUnit: max.unit,
    currentMemory: cur?.amount,
    currentMemoryUnit: cur?.unit,
  };
}

function renderGraphics(g: Graphics): DomainDevicesGraphics {
  const server = {
    listen: g.listen,
    autoPort: g.port === undefined,
    port: g.port,
    passwd: g.password,
  };
  return g.protocol === 'vnc' ? { vnc: server } : { spice: server };
}

function toAttached(d: DiskEntry): AttachedDisk {
  return { name: d.name, device: d.device, bus: d.bus, volumeName: d.ref.volumeName, volume: d.ref.volume };
}

/** a, b, ..., z, aa, ab, ... (libvirt's disk name suffixes). */
function deviceSuffix(n: number): string {
  let s = '';
  let i = n;
  do {
    s = String.fromCharCode(97 + (i % 26)) + s;
    i = Math.floor(i / 26) - 1;
  } while (i >= 0);
  return s;
}

function pascal(name: string): string {
  return name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}

function safeContains(subnet: { containsAddress(a: string): boolean }, address: string): boolean {
  try {
    return subnet.containsAddress(address);
  } catch {
    return false;
  }
}
