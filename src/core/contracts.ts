/*
 * The seams between the domains of this library. Storage, network, compute and device
 * constructs meet only through these interfaces, so each can change without the others.
 */
import { ITerraformDependable } from 'cdktf';
import { IConstruct } from 'constructs';
import { Ipv4Cidr, Ipv6Cidr } from './cidr';
import { LibvirtHost } from './libvirt-host';
import { MacAddress } from './mac-address';
import { Size } from './size';
import { DomainDevicesHostdevs, DomainDevicesInterfaces } from '../imports/libvirt/domain';

// ---------------------------------------------------------------- storage

/** On-disk format of a volume. */
export enum VolumeFormat {
  /** QEMU copy-on-write v2: thin, snapshots, backing files (linked clones). */
  QCOW2 = 'qcow2',
  /** Raw image: fastest, no backing files. */
  RAW = 'raw',
  /** An ISO 9660 image, attached as a CD-ROM. */
  ISO = 'iso',
}

/** A libvirt storage pool that volumes can be created in. */
export interface IStoragePool extends IConstruct {
  /** The host the pool is on. */
  readonly host: LibvirtHost;
  /** The pool's libvirt name (a reference to the pool resource when the app owns it). */
  readonly poolName: string;
  /**
   * What volumes in this pool depend on (the pool resource), when the app owns the pool.
   * @default - none for a pool the app imports by name
   */
  readonly dependable?: ITerraformDependable;
}

/** A libvirt storage volume. */
export interface IVolume extends IConstruct {
  /** The pool the volume is in. */
  readonly pool: IStoragePool;
  /** The volume's libvirt name (a reference to the volume resource). */
  readonly volumeName: string;
  /** The volume's path on the host (a reference, known after apply). */
  readonly volumePath: string;
  /** The on-disk format. */
  readonly format: VolumeFormat;
  /** The volume resource, for dependencies. */
  readonly dependable: ITerraformDependable;
}

/**
 * A disk image that guests' boot disks are linked clones of. It lives once per pool: the first
 * clone in a pool uploads it there, and every later clone in that pool reuses it.
 */
export interface IBaseImage extends IConstruct {
  /** The format of the image (a linked clone's backing format). */
  readonly format: VolumeFormat;
  /** The image's volume in `pool`, created on first use and reused after. */
  volumeIn(pool: IStoragePool): IVolume;
}

// ---------------------------------------------------------------- network

/** How a network connects its guests to the outside. */
export enum NetworkKind {
  /** No forwarding: guests reach each other and the host only. */
  ISOLATED = 'isolated',
  /** NAT to the host's uplink (libvirt's `default` network pattern). */
  NAT = 'nat',
  /** Routed to the host's uplink without NAT. */
  ROUTED = 'routed',
  /** An existing host bridge (Linux bridge or Open vSwitch). */
  BRIDGED = 'bridged',
  /** macvtap on a host interface (`<forward mode='bridge|vepa|private|passthrough'>`). */
  MACVTAP = 'macvtap',
  /** A pool of SR-IOV VFs (`<forward mode='hostdev'>`). */
  SRIOV = 'sriov',
}

/** A request for a static IPv4 address for a guest NIC. */
export interface AddressRequest {
  /** The guest (or NIC owner) asking, named in errors. */
  readonly claimant: IConstruct;
  /** The NIC's MAC address; the DHCP lease is keyed on it. */
  readonly mac: MacAddress;
  /** The guest's host name, registered as a DNS record on the network. */
  readonly hostname: string;
  /**
   * A specific address to reserve.
   * @default - the next free address of the network's allocator
   */
  readonly address?: string;
}

/** What a network hands a NIC that attaches to it. */
export interface NicAttachment {
  /** The interface as the provider's `devices.interfaces[]` entry, without `mac`. */
  readonly interface: DomainDevicesInterfaces;
}

/** A libvirt network (or host-side attachment point) that guest NICs attach to. */
export interface INetwork extends IConstruct {
  /** The host the network is on. */
  readonly host: LibvirtHost;
  /** The network's libvirt name. */
  readonly networkName: string;
  /** How the network forwards traffic. */
  readonly kind: NetworkKind;
  /**
   * The IPv4 subnet libvirt manages on this network, when it manages one.
   * @default - none: libvirt manages no IPv4 addressing (bridged, macvtap, SR-IOV networks)
   */
  readonly ipv4Subnet?: Ipv4Cidr;
  /**
   * The IPv6 subnet libvirt manages on this network, when it manages one.
   * @default - none: no IPv6 on this network
   */
  readonly ipv6Subnet?: Ipv6Cidr;
  /**
   * Reserves a static IPv4 address for a NIC: a DHCP host entry (MAC -> IP -> host name) and a DNS
   * record. Returns the address. Throws (naming both claimants) on duplicate MACs or addresses,
   * and when the pool is exhausted.
   */
  reserveAddress(request: AddressRequest): string;
  /** The interface a NIC on this network gets. */
  attach(guest: IGuest): NicAttachment;
}

// ---------------------------------------------------------------- compute and devices

/** The hypervisor driver of a guest. */
export enum Hypervisor {
  /** KVM hardware virtualization (needs /dev/kvm on the host). */
  KVM = 'kvm',
  /** QEMU TCG software emulation: slow, but runs anywhere. */
  QEMU = 'qemu',
}

/** A guest that devices bind to. */
export interface IGuest extends IConstruct {
  /** The host the guest runs on. */
  readonly host: LibvirtHost;
  /** The guest's libvirt domain name. */
  readonly guestName: string;
  /** The hypervisor driver. */
  readonly hypervisor: Hypervisor;
  /** The guest's position in its `VmCluster` (0 for a lone `VirtualMachine`). */
  readonly memberIndex: number;
  /** The guest's memory. */
  readonly memory: Size;
}

/** What a device adds to the guest it is bound to. */
export interface GuestDeviceConfig {
  /**
   * Entries for `devices.interfaces`.
   * @default - none
   */
  readonly interfaces?: DomainDevicesInterfaces[];
  /**
   * Entries for `devices.hostdevs`.
   * @default - none
   */
  readonly hostdevs?: DomainDevicesHostdevs[];
  /**
   * The guest needs the q35 machine type (PCIe).
   * @default false
   */
  readonly requiresQ35?: boolean;
  /**
   * The guest's memory must be locked (`memory_backing.memory_locked`), e.g. for VFIO with some devices.
   * @default false
   */
  readonly requiresLockedMemory?: boolean;
  /**
   * Hide the KVM signature from the guest (`features.kvm.hidden`), for NVIDIA consumer drivers.
   * @default false
   */
  readonly hideKvmSignature?: boolean;
  /**
   * The device is real hardware passed through (warned about on a TCG guest).
   * @default false
   */
  readonly hardwarePassthrough?: boolean;
}

/** A device that can be given to guests; binding one to each guest of a cluster is allowed. */
export interface IGuestDevice {
  /**
   * Binds the device to `guest`: checks it (host, conflicts) and returns what it adds.
   * Called once per guest.
   */
  bind(guest: IGuest): GuestDeviceConfig;
}
