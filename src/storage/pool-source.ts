import { Token } from 'cdktf';
import { validateAbsolutePath, validateHostName, validatePort } from './private';
import { ValidationError } from '../core/validation-error';
import { PoolSource as PoolSourceConfig } from '../imports/libvirt/pool';

/**
 * The libvirt storage pool types this library builds.
 *
 * @see https://libvirt.org/storage.html
 */
export enum PoolType {
  /** A directory on the host; volumes are files. */
  DIR = 'dir',
  /** A local block device with a file system, mounted by libvirt; volumes are files. */
  FS = 'fs',
  /** A network file system (NFS, CIFS, GlusterFS) mounted by libvirt; volumes are files. */
  NETFS = 'netfs',
  /** An LVM volume group; volumes are logical volumes (block devices). */
  LOGICAL = 'logical',
  /** A whole disk; volumes are partitions. */
  DISK = 'disk',
  /** An iSCSI target; volumes are its LUNs, which libvirt cannot create. */
  ISCSI = 'iscsi',
  /** A Ceph RADOS block device pool; volumes are RBD images (network block devices). */
  RBD = 'rbd',
  /** A ZFS pool; volumes are zvols (block devices). */
  ZFS = 'zfs',
}

/** File system of an `fs` pool's device (`source.format.type`). */
export enum FileSystemFormat {
  /** Let the mount command detect it. */
  AUTO = 'auto',
  /** ext2 */
  EXT2 = 'ext2',
  /** ext3 */
  EXT3 = 'ext3',
  /** ext4 */
  EXT4 = 'ext4',
  /** XFS */
  XFS = 'xfs',
  /** Btrfs */
  BTRFS = 'btrfs',
  /** VFAT */
  VFAT = 'vfat',
}

/** Protocol of a `netfs` pool (`source.format.type`). */
export enum NetworkFileSystemFormat {
  /** NFS */
  NFS = 'nfs',
  /** CIFS / SMB */
  CIFS = 'cifs',
  /** GlusterFS (FUSE mount) */
  GLUSTERFS = 'glusterfs',
}

/** Partition table of a `disk` pool (`source.format.type`). */
export enum DiskLabelFormat {
  /** GUID partition table. */
  GPT = 'gpt',
  /** MS-DOS (MBR) partition table. */
  DOS = 'dos',
}

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A reference to a libvirt secret (`virsh secret-define`) that holds a pool's password or key.
 *
 * The provider has no secret resource: define the secret on the host, then refer to it here by
 * its usage name or UUID. The key itself never appears in the synthesized configuration.
 *
 * @example
 * const secret = StorageSecret.fromUsage('client.libvirt secret');
 */
export class StorageSecret {
  /**
   * A secret looked up by its usage name (`<usage><name>` for ceph, `<usage><target>` for iscsi).
   */
  public static fromUsage(usage: string): StorageSecret {
    if (!Token.isUnresolved(usage) && (typeof usage !== 'string' || usage.trim() === '')) {
      throw new ValidationError('StorageSecret.fromUsage', 'usage', usage, 'the non-empty usage name of a libvirt secret');
    }
    return new StorageSecret(usage, undefined);
  }

  /**
   * A secret looked up by its UUID (`virsh secret-list`).
   */
  public static fromUuid(uuid: string): StorageSecret {
    if (!Token.isUnresolved(uuid) && (typeof uuid !== 'string' || !UUID_RE.test(uuid))) {
      throw new ValidationError('StorageSecret.fromUuid', 'uuid', uuid, 'a UUID such as "2ec115d7-3a88-3ceb-bc12-0ac909a6fd87"');
    }
    return new StorageSecret(undefined, uuid);
  }

  private constructor(
    /** The secret's usage name, when referred to by usage. */
    public readonly usage: string | undefined,
    /** The secret's UUID, when referred to by UUID. */
    public readonly uuid: string | undefined,
  ) {}

  /** A description for messages. */
  public toString(): string {
    return this.usage !== undefined ? `secret with usage "${this.usage}"` : `secret ${this.uuid}`;
  }
}

/** Credentials a pool logs in with: a user and a libvirt secret holding the key or password. */
export interface PoolAuth {
  /** The user name (Ceph client id without `client.`, or the CHAP user). */
  readonly username: string;
  /** The libvirt secret that holds the key or password. */
  readonly secret: StorageSecret;
}

/** Source of an `fs` pool: a local block device with a file system. */
export interface FsPoolSourceOptions {
  /** The block device, e.g. `/dev/sdb1` or `/dev/disk/by-uuid/...`. */
  readonly device: string;
  /**
   * The file system on the device.
   * @default FileSystemFormat.AUTO
   */
  readonly format?: FileSystemFormat;
}

/** Source of an NFS pool. */
export interface NfsPoolSourceOptions {
  /** The NFS server's host name or address. */
  readonly host: string;
  /** The exported directory on the server, e.g. `/export/vms`. */
  readonly exportPath: string;
  /**
   * The NFS protocol version to mount with (`source.protocol.version`), e.g. `4.2`.
   * @default - negotiated by mount
   */
  readonly protocolVersion?: string;
}

/** Source of a `netfs` pool. */
export interface NetfsPoolSourceOptions extends NfsPoolSourceOptions {
  /**
   * The protocol.
   * @default NetworkFileSystemFormat.NFS
   */
  readonly format?: NetworkFileSystemFormat;
}

/** Source of a `logical` (LVM) pool. */
export interface LogicalPoolSourceOptions {
  /**
   * The volume group's name.
   * @default - the pool's name
   */
  readonly volumeGroup?: string;
  /**
   * Physical volumes to create the volume group on when the pool is built. Without devices the
   * volume group must already exist and the pool is not built.
   * @default - none; the volume group exists
   */
  readonly devices?: string[];
}

/** Source of a `disk` pool. */
export interface DiskPoolSourceOptions {
  /** The whole disk, e.g. `/dev/sdc` or `/dev/disk/by-id/...`. */
  readonly device: string;
  /**
   * The disk's partition table.
   * @default DiskLabelFormat.GPT
   */
  readonly format?: DiskLabelFormat;
}

/** Source of an `iscsi` pool: the LUNs of one target. */
export interface IscsiPoolSourceOptions {
  /** The iSCSI portal's host name or address. */
  readonly host: string;
  /**
   * The portal's TCP port.
   * @default 3260
   */
  readonly port?: number;
  /** The target's IQN, e.g. `iqn.2013-06.com.example:san.lab`. */
  readonly targetIqn: string;
  /**
   * The initiator IQN to log in as.
   * @default - the host's /etc/iscsi/initiatorname.iscsi
   */
  readonly initiatorIqn?: string;
  /**
   * CHAP credentials.
   * @default - no authentication
   */
  readonly chap?: PoolAuth;
}

/** Source of an `rbd` (Ceph) pool. */
export interface RbdPoolSourceOptions {
  /** Ceph monitors, as `host` or `host:port`. */
  readonly monitors: string[];
  /** The Ceph (RADOS) pool's name. */
  readonly cephPool: string;
  /** The cephx client and the libvirt secret holding its key. */
  readonly auth: PoolAuth;
}

/** Source of a `zfs` pool. */
export interface ZfsPoolSourceOptions {
  /**
   * The ZFS pool (zpool) name.
   * @default - the pool's name
   */
  readonly zpool?: string;
  /**
   * Devices to create the zpool on when the pool is built. Without devices the zpool must exist
   * and the pool is not built.
   * @default - none; the zpool exists
   */
  readonly devices?: string[];
}

const IQN_RE = /^(iqn\.\d{4}-\d{2}\.[A-Za-z0-9.-]+(:[^\s]+)?|eui\.[0-9A-Fa-f]{16}|naa\.[0-9A-Fa-f]{16}([0-9A-Fa-f]{16})?)$/;
const LVM_NAME_RE = /^[A-Za-z0-9+_.][A-Za-z0-9+_.-]{0,127}$/;
const ZPOOL_RE = /^[A-Za-z][A-Za-z0-9_.:-]{0,255}$/;
const CEPH_NAME_RE = /^[A-Za-z0-9_.-]+$/;

/** What the pool needs from its source when it renders. */
interface PoolSourceSpec {
  readonly type: PoolType;
  readonly build: (poolName: string) => boolean;
  readonly render: (poolName: string) => PoolSourceConfig | undefined;
  readonly defaultTargetPath: (poolName: string) => string | undefined;
  readonly hasTarget: boolean;
  readonly checkName?: (poolName: string) => { allowed: string } | undefined;
}

/**
 * Where a storage pool's storage comes from, and so its libvirt pool type. One factory per type.
 *
 * File pools (`dir`, `fs`, `netfs`) hold qcow2 and raw files and support linked clones; block
 * pools (`logical`, `disk`, `rbd`, `zfs`) hold raw volumes only; `iscsi` pools expose existing LUNs.
 *
 * @example
 * const nfs = PoolSource.nfs({ host: 'nas01.lab', exportPath: '/export/vms' });
 * const ceph = PoolSource.rbd({
 *   monitors: ['mon1.lab', 'mon2.lab:6789'],
 *   cephPool: 'libvirt',
 *   auth: { username: 'libvirt', secret: StorageSecret.fromUsage('client.libvirt secret') },
 * });
 */
export class PoolSource {
  /**
   * A directory on the host (libvirt's default pool type).
   */
  public static dir(): PoolSource {
    return new PoolSource({
      type: PoolType.DIR,
      build: () => true,
      render: () => undefined,
      defaultTargetPath: (name) => `/var/lib/libvirt/images/${name}`,
      hasTarget: true,
    });
  }

  /**
   * A local block device with a file system, mounted at the pool's target path.
   */
  public static fs(options: FsPoolSourceOptions): PoolSource {
    const where = 'PoolSource.fs';
    requireValue(where, 'device', options.device, 'an absolute device path, e.g. "/dev/sdb1"');
    validateAbsolutePath(where, 'device', options.device);
    checkEnum(where, 'format', options.format, FileSystemFormat);
    return new PoolSource({
      type: PoolType.FS,
      build: () => true,
      render: () => ({
        device: [{ path: options.device }],
        format: { type: options.format ?? FileSystemFormat.AUTO },
      }),
      defaultTargetPath: (name) => `/var/lib/libvirt/images/${name}`,
      hasTarget: true,
    });
  }

  /**
   * An NFS export, mounted at the pool's target path (a `netfs` pool of format `nfs`).
   */
  public static nfs(options: NfsPoolSourceOptions): PoolSource {
    return PoolSource.networkFileSystem('PoolSource.nfs', { ...options, format: NetworkFileSystemFormat.NFS });
  }

  /**
   * A network file system (NFS, CIFS or GlusterFS), mounted at the pool's target path.
   */
  public static netfs(options: NetfsPoolSourceOptions): PoolSource {
    return PoolSource.networkFileSystem('PoolSource.netfs', options);
  }

  /**
   * An LVM volume group. Given devices, building the pool creates the volume group on them.
   */
  public static logical(options: LogicalPoolSourceOptions = {}): PoolSource {
    const where = 'PoolSource.logical';
    if (options.volumeGroup !== undefined) {
      checkPattern(where, 'volumeGroup', options.volumeGroup, LVM_NAME_RE,
        'an LVM volume group name (letters, digits, "+", "_", ".", "-"; not starting with "-")');
    }
    const devices = checkDevices(where, options.devices);
    return new PoolSource({
      type: PoolType.LOGICAL,
      build: () => devices.length > 0,
      render: (name) => ({
        name: options.volumeGroup ?? name,
        device: devices.length ? devices.map((path) => ({ path })) : undefined,
        format: { type: 'lvm2' },
      }),
      defaultTargetPath: (name) => `/dev/${options.volumeGroup ?? name}`,
      hasTarget: true,
    });
  }

  /**
   * A whole disk whose partitions are the volumes. Building the pool writes a new partition
   * table, which libvirt refuses on a disk that already has one; so it is not built by default.
   */
  public static disk(options: DiskPoolSourceOptions): PoolSource {
    const where = 'PoolSource.disk';
    requireValue(where, 'device', options.device, 'an absolute device path, e.g. "/dev/sdc"');
    validateAbsolutePath(where, 'device', options.device);
    checkEnum(where, 'format', options.format, DiskLabelFormat);
    return new PoolSource({
      type: PoolType.DISK,
      build: () => false,
      render: () => ({
        device: [{ path: options.device }],
        format: { type: options.format ?? DiskLabelFormat.GPT },
      }),
      defaultTargetPath: () => '/dev',
      hasTarget: true,
    });
  }

  /**
   * The LUNs of an iSCSI target (SAN). libvirt logs in to the target; it cannot create volumes
   * in the pool.
   */
  public static iscsi(options: IscsiPoolSourceOptions): PoolSource {
    const where = 'PoolSource.iscsi';
    requireValue(where, 'host', options.host, 'the iSCSI portal\'s host name or address');
    validateHostName(where, 'host', options.host);
    if (options.port !== undefined) validatePort(where, 'port', options.port);
    requireValue(where, 'targetIqn', options.targetIqn, 'an iSCSI qualified name such as "iqn.2013-06.com.example:san.lab"');
    checkPattern(where, 'targetIqn', options.targetIqn, IQN_RE, 'an iSCSI qualified name such as "iqn.2013-06.com.example:san.lab"');
    if (options.initiatorIqn !== undefined) {
      checkPattern(where, 'initiatorIqn', options.initiatorIqn, IQN_RE, 'an iSCSI qualified name such as "iqn.1994-05.com.redhat:kvm01"');
    }
    if (options.chap) checkAuth(where, 'chap', options.chap);
    return new PoolSource({
      type: PoolType.ISCSI,
      build: () => false,
      render: () => ({
        host: [{ name: options.host, port: options.port === undefined ? undefined : String(options.port) }],
        device: [{ path: options.targetIqn }],
        initiator: options.initiatorIqn ? { iqn: { name: options.initiatorIqn } } : undefined,
        auth: options.chap ? renderAuth('chap', options.chap) : undefined,
      }),
      defaultTargetPath: () => '/dev/disk/by-path',
      hasTarget: true,
    });
  }

  /**
   * A Ceph RBD pool. The cephx key stays in a libvirt secret on the host.
   */
  public static rbd(options: RbdPoolSourceOptions): PoolSource {
    const where = 'PoolSource.rbd';
    const monitors = options.monitors;
    if (!Token.isUnresolved(monitors) && (!Array.isArray(monitors) || monitors.length === 0)) {
      throw new ValidationError(where, 'monitors', monitors, 'a non-empty list of Ceph monitors ("host" or "host:port")');
    }
    const hosts = (Array.isArray(monitors) ? monitors : []).map((m, i) => parseMonitor(where, `monitors[${i}]`, m));
    requireValue(where, 'cephPool', options.cephPool, 'the name of a Ceph pool');
    checkPattern(where, 'cephPool', options.cephPool, CEPH_NAME_RE, 'a Ceph pool name (letters, digits, "_", ".", "-")');
    if (options.auth === undefined) {
      throw new ValidationError(where, 'auth', undefined, 'cephx credentials ({ username, secret })',
        'Define a libvirt secret holding the client key and refer to it with StorageSecret.fromUsage() or fromUuid().');
    }
    checkAuth(where, 'auth', options.auth);
    return new PoolSource({
      type: PoolType.RBD,
      build: () => false,
      render: () => ({
        name: options.cephPool,
        host: hosts,
        auth: renderAuth('ceph', options.auth),
      }),
      defaultTargetPath: () => undefined,
      hasTarget: false,
    });
  }

  /**
   * A ZFS pool whose zvols are the volumes. Given devices, building the pool creates the zpool.
   */
  public static zfs(options: ZfsPoolSourceOptions = {}): PoolSource {
    const where = 'PoolSource.zfs';
    if (options.zpool !== undefined) {
      checkPattern(where, 'zpool', options.zpool, ZPOOL_RE, 'a zpool name (starting with a letter; letters, digits, "_", ".", ":", "-")');
    }
    const devices = checkDevices(where, options.devices);
    return new PoolSource({
      type: PoolType.ZFS,
      build: () => devices.length > 0,
      render: (name) => ({
        name: options.zpool ?? name,
        device: devices.length ? devices.map((path) => ({ path })) : undefined,
      }),
      defaultTargetPath: () => undefined,
      hasTarget: false,
      checkName: (name) => options.zpool === undefined && !Token.isUnresolved(name) && !ZPOOL_RE.test(name)
        ? { allowed: 'a valid zpool name (starting with a letter) when no zpool is given' } : undefined,
    });
  }

  private static networkFileSystem(where: string, options: NetfsPoolSourceOptions): PoolSource {
    requireValue(where, 'host', options.host, 'the file server\'s host name or address');
    validateHostName(where, 'host', options.host);
    requireValue(where, 'exportPath', options.exportPath, 'the exported directory, e.g. "/export/vms"');
    if (options.format !== NetworkFileSystemFormat.CIFS) {
      validateAbsolutePath(where, 'exportPath', options.exportPath);
    }
    checkEnum(where, 'format', options.format, NetworkFileSystemFormat);
    return new PoolSource({
      type: PoolType.NETFS,
      build: () => true,
      render: () => ({
        host: [{ name: options.host }],
        dir: { path: options.exportPath },
        format: { type: options.format ?? NetworkFileSystemFormat.NFS },
        protocol: options.protocolVersion ? { version: options.protocolVersion } : undefined,
      }),
      defaultTargetPath: (name) => `/var/lib/libvirt/images/${name}`,
      hasTarget: true,
    });
  }

  /** The libvirt pool type. */
  public readonly poolType: PoolType;

  private constructor(private readonly spec: PoolSourceSpec) {
    this.poolType = spec.type;
  }

  /**
   * True for pools whose volumes are files (`dir`, `fs`, `netfs`): qcow2, raw and ISO volumes
   * and linked clones work there.
   */
  public get holdsFiles(): boolean {
    return [PoolType.DIR, PoolType.FS, PoolType.NETFS].includes(this.poolType);
  }

  /** True when the pool type has a target path on the host. */
  public get hasTargetPath(): boolean {
    return this.spec.hasTarget;
  }

  /** @internal */
  public _defaultBuild(poolName: string): boolean {
    return this.spec.build(poolName);
  }

  /** @internal */
  public _defaultTargetPath(poolName: string): string | undefined {
    return this.spec.defaultTargetPath(poolName);
  }

  /** @internal */
  public _render(poolName: string): PoolSourceConfig | undefined {
    return this.spec.render(poolName);
  }

  /** @internal */
  public _checkPoolName(poolName: string): string | undefined {
    return this.spec.checkName?.(poolName)?.allowed;
  }
}

function requireValue(where: string, prop: string, value: unknown, allowed: string): void {
  if (value === undefined || value === null || value === '') {
    throw new ValidationError(where, prop, value, allowed);
  }
}

function checkPattern(where: string, prop: string, value: string, re: RegExp, allowed: string): void {
  if (Token.isUnresolved(value)) return;
  if (typeof value !== 'string' || !re.test(value)) {
    throw new ValidationError(where, prop, value, allowed);
  }
}

function checkEnum(where: string, prop: string, value: string | undefined, values: Record<string, string>): void {
  if (value === undefined) return;
  const allowed = Object.values(values);
  if (!allowed.includes(value)) {
    throw new ValidationError(where, prop, value, `one of ${allowed.map((v) => `"${v}"`).join(', ')}`);
  }
}

function checkDevices(where: string, devices: string[] | undefined): string[] {
  if (devices === undefined) return [];
  if (!Array.isArray(devices)) {
    throw new ValidationError(where, 'devices', devices, 'a list of absolute device paths');
  }
  const seen = new Set<string>();
  devices.forEach((d, i) => {
    validateAbsolutePath(where, `devices[${i}]`, d);
    if (seen.has(d)) throw new ValidationError(where, `devices[${i}]`, d, 'a device not already listed');
    seen.add(d);
  });
  return devices;
}

function checkAuth(where: string, prop: string, auth: PoolAuth): void {
  if (!Token.isUnresolved(auth.username) && (typeof auth.username !== 'string' || auth.username.trim() === '' || /\s/.test(auth.username))) {
    throw new ValidationError(where, `${prop}.username`, auth.username, 'a user name without spaces');
  }
  if (!(auth.secret instanceof StorageSecret)) {
    throw new ValidationError(where, `${prop}.secret`, auth.secret, 'a StorageSecret (StorageSecret.fromUsage() or StorageSecret.fromUuid())',
      'Keys and passwords are never accepted in plain text; define a libvirt secret on the host.');
  }
}

function renderAuth(type: string, auth: PoolAuth) {
  return {
    type,
    username: auth.username,
    secret: { usage: auth.secret.usage, uuid: auth.secret.uuid },
  };
}

function parseMonitor(where: string, prop: string, monitor: string): { name: string; port?: string } {
  if (Token.isUnresolved(monitor)) return { name: monitor };
  const m = typeof monitor === 'string' ? /^(\[[0-9A-Fa-f:.]+\]|[^:\s]+)(?::(\d+))?$/.exec(monitor) : null;
  if (!m) {
    throw new ValidationError(where, prop, monitor, 'a Ceph monitor as "host" or "host:port"');
  }
  const name = m[1].replace(/^\[|\]$/g, '');
  validateHostName(where, prop, name);
  if (m[2] !== undefined) validatePort(where, prop, Number(m[2]));
  return { name, port: m[2] };
}
