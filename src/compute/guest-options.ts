import { Token } from 'cdktf';
import { ValidationError } from '../core/validation-error';

/**
 * The emulated chipset (`os.type_machine`).
 *
 * @example
 * MachineType.Q35;               // PCIe chipset, the default
 * MachineType.of('pc-q35-8.2');   // a versioned machine type
 */
export class MachineType {
  /** The modern PCIe chipset (ICH9). Needed for PCIe passthrough, SR-IOV and secure boot. */
  public static readonly Q35 = new MachineType('q35');
  /** The legacy i440FX PCI chipset. */
  public static readonly I440FX = new MachineType('pc');

  /**
   * Any machine type libvirt knows, e.g. `pc-q35-8.2` (see `virsh capabilities`).
   */
  public static of(name: string): MachineType {
    if (!Token.isUnresolved(name) && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(String(name))) {
      throw new ValidationError('MachineType.of', 'name', name, 'a machine type name such as "q35" or "pc-q35-8.2"');
    }
    return new MachineType(name);
  }

  private constructor(
    /** The libvirt machine type name. */
    public readonly name: string,
  ) {}

  /** True for the q35 family (`q35`, `pc-q35-*`). */
  public get isQ35(): boolean {
    return this.name === 'q35' || this.name.startsWith('pc-q35');
  }

  /** The machine type name. */
  public toString(): string {
    return this.name;
  }
}

/** The guest firmware. */
export enum Firmware {
  /** Legacy BIOS (SeaBIOS). */
  BIOS = 'bios',
  /** UEFI (OVMF), selected by libvirt's firmware auto-selection. */
  UEFI = 'efi',
}

/** A device the firmware tries to boot from, in `bootOrder`. */
export enum BootDevice {
  /** The first hard disk. */
  HD = 'hd',
  /** The first CD-ROM. */
  CDROM = 'cdrom',
  /** PXE from the first NIC. */
  NETWORK = 'network',
}

/** What libvirt does when the guest crashes (`on_crash`). */
export enum CrashAction {
  /** Stop the guest. */
  DESTROY = 'destroy',
  /** Restart the guest. */
  RESTART = 'restart',
  /** Keep the crashed guest for analysis. */
  PRESERVE = 'preserve',
  /** Dump the guest's core, then stop it. */
  COREDUMP_DESTROY = 'coredump-destroy',
  /** Dump the guest's core, then restart it. */
  COREDUMP_RESTART = 'coredump-restart',
}

/** The CPU virtualization extension to expose for nested virtualization. */
export enum NestedVirtualization {
  /** Intel VT-x (`vmx`), for guests on Intel hosts. */
  VMX = 'vmx',
  /** AMD-V (`svm`), for guests on AMD hosts. */
  SVM = 'svm',
}

/** The bus a disk is attached to; it decides the device name prefix (`vd*` or `sd*`). */
export enum DiskBus {
  /** Paravirtual virtio-blk: fastest, named `vda`, `vdb`, ... */
  VIRTIO = 'virtio',
  /** SATA (AHCI on q35), named `sda`, `sdb`, ... */
  SATA = 'sata',
  /** SCSI, named `sda`, `sdb`, ... (shares the `sd*` names with SATA). */
  SCSI = 'scsi',
}

/** The emulated NIC model. */
export enum NicModel {
  /** Paravirtual virtio-net: fastest. */
  VIRTIO = 'virtio',
  /** Intel 82574 (e1000e), for guests without virtio drivers. */
  E1000E = 'e1000e',
  /** Realtek RTL8139, for very old guests. */
  RTL8139 = 'rtl8139',
}

/**
 * How the guest's virtual CPU is presented (`cpu.mode`).
 *
 * @example
 * CpuMode.hostPassthrough();      // the host CPU as is: fastest, not migratable between CPU models
 * CpuMode.custom('EPYC-Milan');   // a named model: migratable across hosts that have it
 */
export class CpuMode {
  /** The host CPU as is, with every feature (fastest; exposes vmx/svm for nested virtualization). Needs KVM. */
  public static hostPassthrough(): CpuMode {
    return new CpuMode('host-passthrough');
  }

  /** The closest named model to the host CPU plus its extra features (migration-friendly). Needs KVM. */
  public static hostModel(): CpuMode {
    return new CpuMode('host-model');
  }

  /**
   * A named CPU model, e.g. `Skylake-Server`, `EPYC-Milan`, or `max` for TCG.
   *
   * @param model the model name (see `virsh cpu-models x86_64`)
   */
  public static custom(model: string): CpuMode {
    if (!Token.isUnresolved(model) && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(String(model))) {
      throw new ValidationError('CpuMode.custom', 'model', model, 'a CPU model name such as "Skylake-Server" or "max"');
    }
    return new CpuMode('custom', model);
  }

  private constructor(
    /** The libvirt CPU mode: `host-passthrough`, `host-model` or `custom`. */
    public readonly mode: string,
    /** The model name for `custom`. */
    public readonly model?: string,
  ) {}

  /** True for the modes that need hardware virtualization (KVM). */
  public get needsKvm(): boolean {
    return this.mode !== 'custom';
  }

  /** `host-passthrough`, `host-model` or `custom(<model>)`. */
  public toString(): string {
    return this.model ? `${this.mode}(${this.model})` : this.mode;
  }
}

/** The topology of the guest's vCPUs; sockets × cores × threads must equal `vcpus`. */
export interface CpuTopology {
  /**
   * Sockets.
   * @default 1
   */
  readonly sockets?: number;
  /**
   * Cores per socket.
   * @default - vcpus / (sockets × threads)
   */
  readonly cores?: number;
  /**
   * Threads per core.
   * @default 1
   */
  readonly threads?: number;
}

/** Options of a remote display. */
export interface GraphicsOptions {
  /**
   * The address the display server listens on. Anything but loopback lets everyone who can reach
   * the host open the guest's screen, and is warned about.
   * @default '127.0.0.1'
   */
  readonly listen?: string;
  /**
   * A fixed TCP port.
   * @default - libvirt picks a free port (autoport)
   */
  readonly port?: number;
  /**
   * The display password, as a reference to a sensitive Terraform variable
   * (`new TerraformVariable(this, 'vncPassword', { sensitive: true }).stringValue`).
   * Literal passwords are rejected: they would be written in plain text into cdk.tf.json.
   * @default - no password
   */
  readonly password?: string;
}

/**
 * A remote display for the guest (`devices.graphics`). Guests have none unless asked.
 *
 * @example
 * Graphics.vnc();                        // VNC on 127.0.0.1, port chosen by libvirt
 * Graphics.spice({ listen: '0.0.0.0' }); // SPICE on every address (warned about)
 */
export class Graphics {
  /** A VNC server. */
  public static vnc(options: GraphicsOptions = {}): Graphics {
    return new Graphics('vnc', options);
  }

  /** A SPICE server. */
  public static spice(options: GraphicsOptions = {}): Graphics {
    return new Graphics('spice', options);
  }

  /** The address the server listens on. */
  public readonly listen: string;
  /** A fixed port, when one was given. */
  public readonly port?: number;
  /** The password reference, when one was given. */
  public readonly password?: string;

  private constructor(
    /** `vnc` or `spice`. */
    public readonly protocol: string,
    options: GraphicsOptions,
  ) {
    const where = `Graphics.${protocol}`;
    this.listen = options.listen ?? '127.0.0.1';
    this.port = options.port;
    this.password = options.password;
    if (!Token.isUnresolved(this.listen) && !/^[0-9a-fA-F:.]+$/.test(this.listen)) {
      throw new ValidationError(where, 'listen', this.listen, 'an IP address such as "127.0.0.1" or "0.0.0.0"');
    }
    if (this.port !== undefined && !Token.isUnresolved(this.port)
      && !(Number.isInteger(this.port) && this.port >= 5900 && this.port <= 65535)) {
      throw new ValidationError(where, 'port', this.port, 'an integer between 5900 and 65535');
    }
    if (this.password !== undefined && !Token.isUnresolved(this.password)) {
      throw new ValidationError(where, 'password', '***', 'a reference to a sensitive Terraform variable',
        'A literal password would be written in plain text into cdk.tf.json; use `new TerraformVariable(scope, id, { sensitive: true }).stringValue`.');
    }
  }

  /** True when the server listens on loopback only. */
  public get isLocalOnly(): boolean {
    return this.listen === '127.0.0.1' || this.listen === '::1' || this.listen.startsWith('127.');
  }
}
