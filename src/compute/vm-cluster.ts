import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  AttachedDisk, DiskOptions, GuestOptions, IpAssignment, NamedDiskOptions, NicOptions, VirtualMachine,
} from './virtual-machine';
import { IGuestDevice, INetwork, IStoragePool } from '../core/contracts';
import { internedId } from '../core/interned-id';
import { LibvirtHost } from '../core/libvirt-host';
import { kebabName, validateInt, validateName } from '../core/names';
import { ValidationError } from '../core/validation-error';

/** Settings of one node that differ from the cluster's spec, e.g. a bigger first node. */
export interface NodeOverride extends GuestOptions {
  /** The node's index, counting from 0. */
  readonly index: number;
  /**
   * Pin the node to this host (one of the cluster's `hosts`).
   * @default - round-robin over the cluster's hosts
   */
  readonly host?: LibvirtHost;
  /**
   * The node's storage pool (on its host).
   * @default - the cluster's pool on the node's host
   */
  readonly pool?: IStoragePool;
  /**
   * The node's networks, one NIC each (on its host).
   * @default - the cluster's networks on the node's host
   */
  readonly networks?: INetwork[];
  /**
   * Fixed IPv4 addresses for the node's NICs, in NIC order (each inside its network's subnet).
   * @default - the cluster's `ipAssignment`
   */
  readonly addresses?: string[];
}

/** Properties of a `VmCluster`. */
export interface VmClusterProps extends GuestOptions {
  /** How many nodes. Changing it adds or removes nodes at the end; the others stay as they are. */
  readonly count: number;
  /**
   * Node names are `<namePrefix>-1`, `<namePrefix>-2`, ...
   * @default - derived from the construct id (`K8sWorkers` -> `k8s-workers`)
   */
  readonly namePrefix?: string;
  /**
   * The hosts the nodes are spread over, round-robin (node i on `hosts[i % hosts.length]`).
   * @default - the stack's only LibvirtHost
   */
  readonly hosts?: LibvirtHost[];
  /**
   * Keep the nodes spread: no host may carry more than ⌈count / hosts⌉ nodes, so pinning nodes
   * with `nodeOverrides` cannot pile them onto one host.
   * @default - true when more than one host is given
   */
  readonly antiAffinity?: boolean;
  /**
   * Storage pools, at most one per host: each node's boot clone, data disks and cloud-init seed go
   * into the pool on its own host.
   * @default - none; required when the nodes create volumes
   */
  readonly pools?: IStoragePool[];
  /**
   * Networks: each node gets one NIC on every network that is on its own host, in this order.
   * @default - no NICs
   */
  readonly networks?: INetwork[];
  /**
   * How the nodes' NICs get their addresses: `IpAssignment.allocate()` (in node order) or
   * `IpAssignment.dhcp()`. Fixed addresses are set per node with `nodeOverrides`.
   * @default - allocated from networks that manage a subnet; DHCP elsewhere
   */
  readonly ipAssignment?: IpAssignment;
  /**
   * Data disks each node gets: new volumes in the node's pool (`volume` and `pool` are not allowed).
   * @default - none
   */
  readonly disks?: NamedDiskOptions[];
  /**
   * Devices bound to each node.
   * @default - none
   */
  readonly devices?: IGuestDevice[];
  /**
   * Per-node settings.
   * @default - every node follows the cluster's spec
   */
  readonly nodeOverrides?: NodeOverride[];
  /**
   * Add Terraform outputs `<id>_Names` (node names) and `<id>_Addresses` (node name -> first reserved address).
   * @default true
   */
  readonly outputs?: boolean;
}

/**
 * N guests from one spec: each with its own boot clone, cloud-init seed, MAC and address, spread
 * over one or more hosts.
 *
 * Node `i` (from 0) is named `<namePrefix>-<i+1>` and lives under the construct id `Node<i+1>`,
 * so changing `count` adds or removes nodes at the end and leaves the others byte-identical.
 * Each node's cloud-init hostname is its name.
 *
 * @example
 * const workers = new VmCluster(stack, 'Workers', {
 *   count: 3, hosts: [kvm01, kvm02], pools: [pool1, pool2], networks: [net1, net2],
 *   bootImage: noble, vcpus: 4, memory: Size.gibibytes(8),
 *   nodeOverrides: [{ index: 0, vcpus: 8, memory: Size.gibibytes(16) }],
 * });
 * workers.nodeAt(0).addDisk('etcd', { size: Size.gibibytes(10) });
 */
export class VmCluster extends Construct {
  /** The nodes, in index order. */
  public readonly nodes: VirtualMachine[] = [];
  /** The hosts the cluster spans. */
  public readonly hosts: LibvirtHost[];
  /** The node name prefix. */
  public readonly namePrefix: string;
  /** The `Names` output, when outputs are on. */
  public readonly namesOutput?: TerraformOutput;
  /** The `Addresses` output, when outputs are on. */
  public readonly addressesOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: VmClusterProps) {
    super(scope, internedId(id));
    const count = validateInt(this, 'count', props.count, 1, 999);
    if (Token.isUnresolved(props.count)) {
      throw new ValidationError(this, 'count', props.count, 'a number known at synth', 'Each node is its own set of resources.');
    }
    this.namePrefix = validateName(this, 'namePrefix', props.namePrefix ?? kebabName(id), 59);
    this.hosts = props.hosts && props.hosts.length > 0 ? [...props.hosts] : [LibvirtHost.of(this)];
    if (new Set(this.hosts).size !== this.hosts.length) {
      throw new ValidationError(this, 'hosts', this.hosts.map((h) => h.node.path), 'a list of distinct hosts');
    }
    if (props.ipAssignment?.kind === 'fixed') {
      throw new ValidationError(this, 'ipAssignment', props.ipAssignment.toString(), 'IpAssignment.allocate() or IpAssignment.dhcp()',
        'Nodes cannot share a fixed address; give each node its own with nodeOverrides: [{ index, addresses: [...] }].');
    }
    this.checkPools(props.pools ?? []);
    (props.disks ?? []).forEach((d, i) => {
      if (d.volume) {
        throw new ValidationError(this, `disks[${i}].volume`, d.volume.node.path, 'left out in a cluster', 'Each node gets its own new volume of `size`.');
      }
      if (d.pool) {
        throw new ValidationError(this, `disks[${i}].pool`, d.pool.node.path, 'left out in a cluster', 'Each node uses the cluster pool on its own host.');
      }
    });
    const overrides = this.indexOverrides(props.nodeOverrides ?? [], count);

    const placement = Array.from({ length: count }, (_, i) => overrides.get(i)?.host ?? this.hosts[i % this.hosts.length]);
    this.checkPlacement(placement, props.antiAffinity ?? this.hosts.length > 1);

    for (let i = 0; i < count; i++) {
      this.nodes.push(this.createNode(i, placement[i], props, overrides.get(i)));
    }

    if (props.outputs ?? true) {
      this.namesOutput = new TerraformOutput(this, 'Names', {
        value: this.nodes.map((n) => n.guestName),
        description: `Names of the nodes of ${this.node.path}`,
      });
      const addresses: Record<string, string> = {};
      for (const n of this.nodes) {
        if (n.addresses.length > 0) addresses[n.guestName] = n.addresses[0];
      }
      this.addressesOutput = new TerraformOutput(this, 'Addresses', {
        value: addresses,
        description: `First reserved IPv4 address of each node of ${this.node.path}`,
      });
    }
  }

  /** The node at `index` (from 0). */
  public nodeAt(index: number): VirtualMachine {
    if (!Number.isInteger(index) || index < 0 || index >= this.nodes.length) {
      throw new ValidationError(this, 'index', index, `an integer between 0 and ${this.nodes.length - 1}`);
    }
    return this.nodes[index];
  }

  /** The node named `name` (e.g. `workers-2`). */
  public nodeNamed(name: string): VirtualMachine {
    const found = this.nodes.find((n) => n.guestName === name);
    if (!found) {
      throw new ValidationError(this, 'name', name, `the name of a node (${this.nodes.map((n) => n.guestName).join(', ')})`);
    }
    return found;
  }

  /** The nodes' names, in index order. */
  public get nodeNames(): string[] {
    return this.nodes.map((n) => n.guestName);
  }

  /**
   * Adds a data disk (a new volume) to every node, in its pool on its host.
   *
   * @param name the disk's name, unique per node
   */
  public addDisk(name: string, options: DiskOptions): AttachedDisk[] {
    if (options.volume) {
      throw new ValidationError(this, `disks.${name}.volume`, options.volume.node.path, 'left out in a cluster', 'Each node gets its own new volume of `size`.');
    }
    if (options.pool) {
      throw new ValidationError(this, `disks.${name}.pool`, options.pool.node.path, 'left out in a cluster',
        'Each node uses the cluster pool on its own host; add to a single node with nodeAt(i).addDisk(...) to choose a pool.');
    }
    return this.nodes.map((n) => n.addDisk(name, options));
  }

  /** Binds `device` to every node. */
  public addDevice(device: IGuestDevice): void {
    this.nodes.forEach((n) => n.addDevice(device));
  }

  private createNode(index: number, host: LibvirtHost, props: VmClusterProps, override?: NodeOverride): VirtualMachine {
    const name = `${this.namePrefix}-${index + 1}`;
    const pool = override?.pool ?? (props.pools ?? []).find((p) => p.host === host);
    const networks = override?.networks ?? (props.networks ?? []).filter((n) => n.host === host);
    if ((props.networks ?? []).length > 0 && networks.length === 0) {
      throw new ValidationError(this, 'networks', (props.networks ?? []).map((n) => n.node.path),
        `a list with a network on host ${host.node.path}, where node ${name} is placed`);
    }
    const spec: GuestOptions = { ...stripUndefined(props), ...stripUndefined(override ?? {}) };
    const needsPool = spec.bootImage !== undefined || spec.cloudInit !== undefined || (props.disks ?? []).length > 0;
    if (needsPool && !pool) {
      throw new ValidationError(this, 'pools', (props.pools ?? []).map((p) => p.node.path),
        `a list with a pool on host ${host.node.path}, where node ${name} is placed`);
    }
    const addresses = override?.addresses ?? [];
    if (addresses.length > networks.length) {
      throw new ValidationError(this, `nodeOverrides[${index}].addresses`, addresses, `at most one address per NIC (${networks.length})`);
    }
    const nics: NicOptions[] = networks.map((network, k) => ({
      network,
      ipAssignment: addresses[k] !== undefined ? IpAssignment.fixed(addresses[k]) : props.ipAssignment,
    }));
    return new VirtualMachine(this, `Node${index + 1}`, {
      ...spec,
      cloudInit: spec.cloudInit ? { ...spec.cloudInit, hostname: undefined } : undefined,
      host,
      name,
      pool,
      nics,
      disks: props.disks,
      devices: props.devices,
      memberIndex: index,
    });
  }

  private checkPools(pools: IStoragePool[]): void {
    const seen = new Map<LibvirtHost, IStoragePool>();
    for (const [i, p] of pools.entries()) {
      const other = seen.get(p.host);
      if (other) {
        throw new ValidationError(this, `pools[${i}]`, p.node.path, `the only pool on host ${p.host.node.path}`,
          `${other.node.path} is on that host too; give one pool per host.`);
      }
      if (!this.hosts.includes(p.host)) {
        throw new ValidationError(this, `pools[${i}]`, p.node.path, `a pool on one of the cluster's hosts (${this.hosts.map((h) => h.node.path).join(', ')})`,
          `It is on host ${p.host.node.path}.`);
      }
      seen.set(p.host, p);
    }
  }

  private indexOverrides(list: NodeOverride[], count: number): Map<number, NodeOverride> {
    const map = new Map<number, NodeOverride>();
    list.forEach((o, i) => {
      validateInt(this, `nodeOverrides[${i}].index`, o.index, 0, count - 1);
      if (map.has(o.index)) {
        throw new ValidationError(this, `nodeOverrides[${i}].index`, o.index, 'an index not overridden twice');
      }
      if (o.host && !this.hosts.includes(o.host)) {
        throw new ValidationError(this, `nodeOverrides[${i}].host`, o.host.node.path,
          `one of the cluster's hosts (${this.hosts.map((h) => h.node.path).join(', ')})`);
      }
      map.set(o.index, o);
    });
    return map;
  }

  private checkPlacement(placement: LibvirtHost[], antiAffinity: boolean): void {
    if (!antiAffinity || this.hosts.length < 2) return;
    const limit = Math.ceil(placement.length / this.hosts.length);
    for (const host of this.hosts) {
      const on = placement.map((h, i) => (h === host ? `${this.namePrefix}-${i + 1}` : undefined)).filter((n): n is string => !!n);
      if (on.length > limit) {
        throw new ValidationError(this, 'nodeOverrides', on, `a placement with at most ${limit} nodes on host ${host.node.path} (anti-affinity)`,
          'Spread the pinned nodes over the hosts, or set antiAffinity: false.');
      }
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
