import { TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { internedId } from './interned-id';
import { PciAddress } from './pci-address';
import { Size } from './size';
import { ValidationError } from './validation-error';
import { LibvirtProvider } from '../imports/libvirt/provider';

/** A pool of huge pages reserved on the host. */
export interface HugepageInventory {
  /** Page size, e.g. `Size.mebibytes(2)` or `Size.gibibytes(1)`. */
  readonly pageSize: Size;
  /** How many pages of that size the host has reserved. */
  readonly count: number;
}

/** A PCI device on the host that guests may be given (a GPU, an NVMe drive, a NIC...). */
export interface PciDeviceInventory {
  /** A name to look the device up by, e.g. `gpu0`. */
  readonly name: string;
  /** Its host PCI address (function 0 for a multifunction device). */
  readonly address: PciAddress;
  /**
   * The other functions of a multifunction device that must be passed with it
   * (e.g. a GPU's HDMI audio function `.1`).
   * @default - none
   */
  readonly companionFunctions?: number[];
  /**
   * PCI vendor id, e.g. `10de` for NVIDIA. Used to offer vendor-specific guest settings.
   * @default - unknown
   */
  readonly vendorId?: string;
  /**
   * Free text for humans, e.g. `NVIDIA RTX A4000`.
   * @default - none
   */
  readonly description?: string;
}

/** An SR-IOV physical function (PF) on the host and the virtual functions created on it. */
export interface SriovPhysicalFunctionInventory {
  /** The PF's network interface name, e.g. `ens1f0`. */
  readonly name: string;
  /** How many VFs the host has created on it (`sriov_numvfs`). */
  readonly vfCount: number;
  /**
   * The PF's PCI address.
   * @default - unknown
   */
  readonly address?: PciAddress;
  /**
   * The VFs' PCI addresses, in VF index order, when known (`ls -l /sys/class/net/PF/device/virtfn*`).
   * @default - unknown; VFs can then only be drawn from a pool network over the PF
   */
  readonly vfAddresses?: PciAddress[];
}

/**
 * What a host has, as far as the app declares it. Every field is optional; checks that need a
 * field are skipped when it is absent.
 */
export interface HostInventory {
  /**
   * Hardware threads the host offers guests.
   * @default - unknown; vCPU capacity is not checked
   */
  readonly cpuThreads?: number;
  /**
   * Memory the host offers guests.
   * @default - unknown; memory capacity is not checked
   */
  readonly memory?: Size;
  /**
   * Huge page pools.
   * @default - none declared
   */
  readonly hugepages?: HugepageInventory[];
  /**
   * PCI devices available for passthrough, by name.
   * @default - none declared
   */
  readonly pciDevices?: PciDeviceInventory[];
  /**
   * SR-IOV physical functions and their VF counts.
   * @default - none declared
   */
  readonly sriovPhysicalFunctions?: SriovPhysicalFunctionInventory[];
  /**
   * How many guest vCPUs each hardware thread may carry: 1 allows no overcommit, 4 allows 4 vCPUs
   * per thread.
   * @default 1
   */
  readonly cpuOvercommitRatio?: number;
  /**
   * How much guest memory each byte of host memory may carry (e.g. 1.5 with KSM and ballooning).
   * @default 1
   */
  readonly memoryOvercommitRatio?: number;
}

/** Properties of a `LibvirtHost`. */
export interface LibvirtHostProps {
  /**
   * The libvirt connection URI: `qemu:///system`, `qemu+ssh://user@host/system?keyfile=...`,
   * `qemu+sshcmd://host/system`, `qemu+tls://host/system`, ...
   *
   * Passwords are not accepted in the URI (they would be written in plain text into the
   * synthesized JSON); use an SSH key or agent.
   *
   * @default 'qemu:///system'
   * @see https://libvirt.org/uri.html
   */
  readonly uri?: string;
  /**
   * The Terraform provider alias for this host.
   * @default - derived from the construct id (`Kvm01` -> `kvm01`)
   */
  readonly alias?: string;
  /**
   * What the host has, for capacity and device checks at synth.
   * @default - nothing declared; capacity and device checks are skipped
   */
  readonly inventory?: HostInventory;
}

const URI_RE = /^(qemu|test|lxc|ch)(\+(ssh|sshcmd|libssh|libssh2|tls|tcp|unix|ext))?:\/\/([^/?#]*)(\/[^?#]*)?(\?[^#]*)?$/;
const ALIAS_RE = /^[a-z][a-z0-9_]*$/;

/** Hosts of each stack, registered at construction so lookups stay O(1) in large apps. */
const HOSTS_BY_STACK = new WeakMap<TerraformStack, LibvirtHost[]>();

/**
 * One libvirt hypervisor host: one aliased `dmacvicar/libvirt` provider with its connection URI,
 * and an optional inventory that capacity and device checks use.
 *
 * Every construct of this library takes a `host`; in a stack with exactly one host it may be
 * omitted. Several hosts in one stack are driven by Terraform itself, one provider per host.
 *
 * @example
 * const kvm01 = new LibvirtHost(stack, 'Kvm01', {
 *   uri: 'qemu+ssh://root@kvm01.lab/system?keyfile=~/.ssh/id_ed25519',
 *   inventory: { cpuThreads: 32, memory: Size.gibibytes(128) },
 * });
 */
export class LibvirtHost extends Construct {
  /**
   * The host a construct uses when none is given: the only `LibvirtHost` in its stack.
   *
   * @param scope the construct that needs a host (named in the error)
   * @param host the host given explicitly, returned as is when set
   */
  public static of(scope: IConstruct, host?: LibvirtHost): LibvirtHost {
    if (host) return host;
    const hosts = HOSTS_BY_STACK.get(TerraformStack.of(scope)) ?? [];
    if (hosts.length === 1) return hosts[0];
    if (hosts.length === 0) {
      throw new ValidationError(scope, 'host', undefined, 'a LibvirtHost',
        'The stack has no LibvirtHost; create one with `new LibvirtHost(stack, \'Host\')`.');
    }
    throw new ValidationError(scope, 'host', undefined, `one of the stack's hosts (${hosts.map((h) => h.node.path).join(', ')})`,
      'With several hosts in a stack, each construct must name its host.');
  }

  /** True when `x` is a `LibvirtHost`. */
  public static isLibvirtHost(x: any): x is LibvirtHost {
    return x !== null && typeof x === 'object' && x instanceof LibvirtHost;
  }

  private static aliasFromId(id: string): string {
    const alias = id.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase();
    return /^[a-z]/.test(alias) ? alias : `host_${alias}`;
  }

  /** The connection URI. */
  public readonly uri: string;
  /** The Terraform provider alias. */
  public readonly alias: string;
  /** The provider configuration that every resource on this host uses. */
  public readonly provider: LibvirtProvider;
  /** The declared inventory (empty when none was given). */
  public readonly inventory: HostInventory;

  private readonly claims = new Map<string, IConstruct>();
  private readonly vfDraws = new Map<string, IConstruct[]>();

  constructor(scope: Construct, id: string, props: LibvirtHostProps = {}) {
    super(scope, internedId(id));
    this.uri = props.uri ?? 'qemu:///system';
    this.alias = props.alias ?? LibvirtHost.aliasFromId(id);
    this.inventory = props.inventory ?? {};

    this.validateUri();
    if (!ALIAS_RE.test(this.alias)) {
      throw new ValidationError(this, 'alias', this.alias, 'lower-case letters, digits and underscores, starting with a letter');
    }
    this.validateInventory();

    const stack = TerraformStack.of(this);
    const hosts = HOSTS_BY_STACK.get(stack) ?? [];
    const clash = hosts.find((h) => h.alias === this.alias);
    if (clash) {
      throw new ValidationError(this, 'alias', this.alias, 'unique in the stack', `${clash.node.path} already uses it; pass 'alias' to tell them apart.`);
    }
    hosts.push(this);
    HOSTS_BY_STACK.set(stack, hosts);

    this.provider = new LibvirtProvider(this, 'Provider', { uri: this.uri, alias: this.alias });
  }

  /**
   * A PCI device from the inventory, by name.
   */
  public pciDevice(name: string): PciDeviceInventory {
    const found = (this.inventory.pciDevices ?? []).find((d) => d.name === name);
    if (!found) {
      throw new ValidationError(this, 'pciDevice', name,
        `the name of a PCI device in the inventory (${describeNames(this.inventory.pciDevices)})`);
    }
    return found;
  }

  /**
   * An SR-IOV physical function from the inventory, by interface name.
   */
  public physicalFunction(name: string): SriovPhysicalFunctionInventory {
    const found = (this.inventory.sriovPhysicalFunctions ?? []).find((d) => d.name === name);
    if (!found) {
      throw new ValidationError(this, 'physicalFunction', name,
        `the name of an SR-IOV physical function in the inventory (${describeNames(this.inventory.sriovPhysicalFunctions)})`);
    }
    return found;
  }

  /**
   * Claims something that only one construct on this host may have: a domain, network or pool
   * name, a bridge name, a PCI device. A second claim of the same `kind` and `key` throws an
   * error that names both claimants. Token keys are not checked.
   *
   * For construct authors; apps do not call this.
   *
   * @param kind what is claimed, e.g. `network name` or `PCI device`
   * @param key the claimed value, e.g. `lab-net` or `0000:3b:02.3`
   * @param claimant the construct that claims it (named in the error)
   * @param prop the claimant's prop that holds `key` (named in the error)
   */
  public claim(kind: string, key: string, claimant: IConstruct, prop: string): void {
    if (Token.isUnresolved(key)) return;
    const id = `${kind}\u0000${key}`;
    const holder = this.claims.get(id);
    if (holder && holder !== claimant) {
      throw new ValidationError(claimant, prop, key, `a ${kind} not already used on host ${this.node.path}`,
        `It is already claimed by ${holder.node.path}.`);
    }
    this.claims.set(id, claimant);
  }

  /**
   * Records that `claimant` takes one VF of physical function `pf` (by address or from a pool
   * network). Throws when more VFs are drawn from `pf` than the inventory declares; does nothing
   * when the inventory does not declare `pf`.
   *
   * For construct authors; apps do not call this.
   */
  public drawVirtualFunction(pf: string, claimant: IConstruct, prop: string): void {
    const declared = (this.inventory.sriovPhysicalFunctions ?? []).find((p) => p.name === pf);
    const draws = this.vfDraws.get(pf) ?? [];
    draws.push(claimant);
    this.vfDraws.set(pf, draws);
    if (declared && draws.length > declared.vfCount) {
      const who = [...new Set(draws.map((d) => d.node.path))].join(', ');
      throw new ValidationError(claimant, prop, pf, `a physical function with a free VF (host ${this.node.path} declares ${declared.vfCount} on ${pf})`,
        `VF number ${draws.length} was asked for; claimants: ${who}. Raise sriov_numvfs and the inventory's vfCount, or use fewer VFs.`);
    }
  }

  /** How many VFs of `pf` have been drawn so far. */
  public virtualFunctionsDrawn(pf: string): number {
    return this.vfDraws.get(pf)?.length ?? 0;
  }

  /**
   * The construct that claimed `key` of `kind` on this host, if any.
   */
  public claimant(kind: string, key: string): IConstruct | undefined {
    return this.claims.get(`${kind}\u0000${key}`);
  }

  private validateUri(): void {
    if (Token.isUnresolved(this.uri)) return;
    const m = URI_RE.exec(this.uri);
    if (!m) {
      throw new ValidationError(this, 'uri', this.uri,
        'a libvirt URI such as "qemu:///system", "qemu+ssh://user@host/system" or "qemu+tls://host/system"');
    }
    if (/:[^@/]*@/.test(m[4] ?? '')) {
      throw new ValidationError(this, 'uri', this.uri.replace(/:[^:@/]*@/, ':***@'), 'a URI without a password',
        'It would be written in plain text into cdk.tf.json; use an SSH key (?keyfile=) or the SSH agent.');
    }
  }

  private validateInventory(): void {
    const inv = this.inventory;
    const positive = (prop: string, v: number | undefined) => {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
        throw new ValidationError(this, prop, v, 'a whole number that is 0 or more');
      }
    };
    positive('inventory.cpuThreads', inv.cpuThreads);
    for (const prop of ['cpuOvercommitRatio', 'memoryOvercommitRatio'] as const) {
      const v = inv[prop];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 1)) {
        throw new ValidationError(this, `inventory.${prop}`, v, 'a number of at least 1 (1 = no overcommit)');
      }
    }
    (inv.hugepages ?? []).forEach((h, i) => positive(`inventory.hugepages[${i}].count`, h.count));
    const seen = new Set<string>();
    for (const [i, d] of (inv.pciDevices ?? []).entries()) {
      if (seen.has(d.name)) throw new ValidationError(this, `inventory.pciDevices[${i}].name`, d.name, 'unique among the PCI devices');
      seen.add(d.name);
      for (const f of d.companionFunctions ?? []) {
        if (!Number.isInteger(f) || f < 0 || f > 7 || f === d.address.func) {
          throw new ValidationError(this, `inventory.pciDevices[${i}].companionFunctions`, f, `a function number from 0 to 7 other than ${d.address.func}`);
        }
      }
    }
    for (const [i, pf] of (inv.sriovPhysicalFunctions ?? []).entries()) {
      positive(`inventory.sriovPhysicalFunctions[${i}].vfCount`, pf.vfCount);
      if (pf.vfAddresses && pf.vfAddresses.length > pf.vfCount) {
        throw new ValidationError(this, `inventory.sriovPhysicalFunctions[${i}].vfAddresses`, pf.vfAddresses.map(String),
          `at most vfCount (${pf.vfCount}) addresses`);
      }
    }
  }
}

function describeNames(items?: Array<{ name: string }>): string {
  return items && items.length ? items.map((i) => `"${i.name}"`).join(', ') : 'none declared';
}
