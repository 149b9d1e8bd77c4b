import { Annotations, ITerraformDependable, Token } from 'cdktf';
import { Construct } from 'constructs';
import { PoolSource, PoolType } from './pool-source';
import { LITERAL_POOL_NAME, POOL_TYPE, validateAbsolutePath } from './private';
import { Volume, VolumeOptions } from './volume';
import { IStoragePool } from '../core/contracts';
import { internedId } from '../core/interned-id';
import { LibvirtHost } from '../core/libvirt-host';
import { kebabName, validateName } from '../core/names';
import { ReplaceTrigger } from '../core/replace-trigger';
import { ValidationError } from '../core/validation-error';
import { Pool, poolSourceToTerraform } from '../imports/libvirt/pool';

/** Properties of a `StoragePool`. */
export interface StoragePoolProps {
  /**
   * The host the pool is on.
   * @default - the stack's only `LibvirtHost`
   */
  readonly host?: LibvirtHost;
  /**
   * The pool's libvirt name. Changing it replaces the pool.
   * @default - derived from the construct id (`FastPool` -> `fast-pool`)
   */
  readonly name?: string;
  /**
   * Where the pool's storage comes from, which decides its type.
   * @default PoolSource.dir()
   */
  readonly source?: PoolSource;
  /**
   * The pool's path on the host: the directory (`dir`), the mount point (`fs`, `netfs`), or where
   * the volumes' device nodes appear (`logical`, `disk`, `iscsi`). `rbd` and `zfs` pools have none.
   * @default - `/var/lib/libvirt/images/<name>` for dir, fs and netfs pools; `/dev/<volume group>`
   *   for logical, `/dev` for disk and `/dev/disk/by-path` for iscsi pools
   */
  readonly targetPath?: string;
  /**
   * Build the pool when it is created (`virsh pool-build`): create the directory or mount point,
   * the volume group or the zpool. libvirt refuses to build over existing data.
   * @default - true for dir, fs and netfs pools, and for logical and zfs pools given devices;
   *   false for disk, iscsi and rbd pools
   */
  readonly buildOnCreate?: boolean;
  /**
   * Start (activate) the pool when it is created.
   * @default true
   */
  readonly start?: boolean;
  /**
   * Start the pool when libvirtd starts.
   * @default true
   */
  readonly autostart?: boolean;
  /**
   * Delete the pool's storage when the pool is destroyed (`virsh pool-delete`): remove the
   * (empty) directory of a dir pool, but also remove the volume group, partition table or zpool
   * of a logical, disk or zfs pool.
   * @default - true for dir pools (only an empty directory is removed), false for all others
   */
  readonly deleteOnDestroy?: boolean;
}

/** Attributes of a pool the app refers to but does not own. */
export interface StoragePoolAttributes {
  /**
   * The host the pool is on.
   * @default - the stack's only `LibvirtHost`
   */
  readonly host?: LibvirtHost;
  /** The pool's libvirt name, e.g. `default`. */
  readonly poolName: string;
  /**
   * The pool's type, so volumes in it get the right format checks (block pools hold raw volumes
   * only, iSCSI pools none).
   * @default - unknown; treated like a dir pool
   */
  readonly poolType?: PoolType;
}

/**
 * A libvirt storage pool (`libvirt_pool`) of any type the provider supports: a directory, a
 * local or network file system, an LVM volume group, a disk, an iSCSI target, a Ceph RBD pool
 * or a ZFS pool.
 *
 * The provider cannot update a pool in place. This construct makes that explicit: the pool's
 * definition (type, target, source) is recorded in the stack's `terraform_data` resource
 * (`ReplaceTrigger`) under the pool's logical ID, and the pool lists that entry in
 * `lifecycle.replace_triggered_by`, so changing any of it replaces the pool (and, through the same mechanism, the volumes in it) instead of failing at
 * apply. The lifecycle controls (`buildOnCreate`, `start`, `autostart`, `deleteOnDestroy`) only act when
 * the pool is created or destroyed; they are in `lifecycle.ignore_changes`, so changing them
 * later does not touch an existing pool.
 *
 * @example
 * const images = new StoragePool(stack, 'Images');                  // dir pool /var/lib/libvirt/images/images
 * const nas = new StoragePool(stack, 'Nas', {
 *   source: PoolSource.nfs({ host: 'nas01.lab', exportPath: '/export/vms' }),
 * });
 * const fast = new StoragePool(stack, 'Fast', { source: PoolSource.logical({ volumeGroup: 'vg_nvme' }) });
 *
 * @see https://libvirt.org/storage.html
 */
export class StoragePool extends Construct implements IStoragePool {
  /**
   * A pool that exists on the host and that the app does not own (e.g. libvirt's `default`).
   * Volumes can be created in it; nothing about the pool itself is managed.
   *
   * @param scope the scope of the imported pool
   * @param id the construct id
   * @param host the host the pool is on
   * @param poolName the pool's libvirt name
   */
  public static fromPoolName(scope: Construct, id: string, host: LibvirtHost, poolName: string): IStoragePool {
    return new ImportedStoragePool(scope, id, { host, poolName });
  }

  /**
   * A pool that exists on the host and that the app does not own, with its type when known.
   *
   * @param scope the scope of the imported pool
   * @param id the construct id
   * @param attrs the pool's name, host and type
   */
  public static fromPoolAttributes(scope: Construct, id: string, attrs: StoragePoolAttributes): IStoragePool {
    return new ImportedStoragePool(scope, id, attrs);
  }

  /** True when `x` is a `StoragePool` (an owned pool). */
  public static isStoragePool(x: any): x is StoragePool {
    return x !== null && typeof x === 'object' && x instanceof StoragePool;
  }

  /** The host the pool is on. */
  public readonly host: LibvirtHost;
  /** The pool's libvirt name: a reference to the pool resource's `name`. */
  public readonly poolName: string;
  /** The pool type. */
  public readonly poolType: PoolType;
  /** The pool's source. */
  public readonly source: PoolSource;
  /** The pool's target path on the host, when its type has one. */
  public readonly targetPath?: string;
  /** The pool resource, for dependencies. */
  public readonly dependable?: ITerraformDependable;
  /** The `libvirt_pool` resource (escape hatch). */
  public readonly resource: Pool;
  /** The `terraform_data` resource whose change replaces the pool. */
  /** The stack's `terraform_data` resource holding this pool's definition (shared with other pools, volumes, networks). */
  public readonly replaceTrigger: ReplaceTrigger;

  constructor(scope: Construct, id: string, props: StoragePoolProps = {}) {
    super(scope, internedId(id));
    this.host = LibvirtHost.of(this, props.host);
    this.source = props.source ?? PoolSource.dir();
    if (!(this.source instanceof PoolSource)) {
      throw new ValidationError(this, 'source', props.source, 'a PoolSource (PoolSource.dir(), PoolSource.nfs(...), ...)');
    }
    this.poolType = this.source.poolType;

    const name = validateName(this, 'name', props.name ?? kebabName(id));
    const nameRule = this.source._checkPoolName(name);
    if (nameRule) {
      throw new ValidationError(this, 'name', name, nameRule);
    }
    this.host.claim('pool name', name, this, 'name');

    if (props.targetPath !== undefined && !this.source.hasTargetPath) {
      throw new ValidationError(this, 'targetPath', props.targetPath, `unset for a ${this.poolType} pool`,
        `${this.poolType} pools have no path on the host.`);
    }
    this.targetPath = props.targetPath !== undefined
      ? validateAbsolutePath(this, 'targetPath', props.targetPath)
      : this.source._defaultTargetPath(name);
    if (this.targetPath !== undefined && this.source.holdsFiles) {
      this.host.claim('pool target path', normalizePath(this.targetPath), this, 'targetPath');
    }

    const deleteOnDestroy = props.deleteOnDestroy ?? this.poolType === PoolType.DIR;
    if (deleteOnDestroy && [PoolType.LOGICAL, PoolType.DISK, PoolType.ZFS].includes(this.poolType)) {
      Annotations.of(this).addWarning(`'deleteOnDestroy' is true: destroying this ${this.poolType} pool deletes its `
        + `${this.poolType === PoolType.LOGICAL ? 'volume group' : this.poolType === PoolType.DISK ? 'partition table' : 'zpool'} and all data in it.`);
    }

    const source = this.source._render(name);
    this.replaceTrigger = ReplaceTrigger.of(this);

    this.resource = new Pool(this, 'Resource', {
      provider: this.host.provider,
      name,
      type: this.poolType,
      target: this.targetPath !== undefined ? { path: this.targetPath } : undefined,
      source,
      create: {
        buildAttribute: props.buildOnCreate ?? this.source._defaultBuild(name),
        start: props.start ?? true,
        autostart: props.autostart ?? true,
      },
      destroy: { delete: deleteOnDestroy },
    });
    this.resource.lifecycle = {
      ignoreChanges: ['create', 'destroy'],
      replaceTriggeredBy: [this.replaceTrigger.track(this.resource, {
        name,
        type: this.poolType,
        target_path: this.targetPath,
        source: source ? poolSourceToTerraform(source) : undefined,
      })],
    };
    this.poolName = this.resource.name;
    this.dependable = this.resource;
    LITERAL_POOL_NAME.set(this, name);
    POOL_TYPE.set(this, this.poolType);
  }

  /**
   * Adds a volume to this pool, as a child of the pool construct.
   *
   * @param id the volume's construct id (its default name is derived from it)
   * @param options the volume's capacity, format, backing store or content
   */
  public addVolume(id: string, options: VolumeOptions = {}): Volume {
    return new Volume(this, id, { ...options, pool: this });
  }
}

/** A pool the app refers to by name but does not own. */
class ImportedStoragePool extends Construct implements IStoragePool {
  public readonly host: LibvirtHost;
  public readonly poolName: string;

  constructor(scope: Construct, id: string, attrs: StoragePoolAttributes) {
    super(scope, internedId(id));
    this.host = LibvirtHost.of(this, attrs?.host);
    const poolName = attrs?.poolName;
    if (poolName === undefined || poolName === '') {
      throw new ValidationError(this, 'poolName', poolName, 'the name of an existing pool, e.g. "default"');
    }
    this.poolName = validateName(this, 'poolName', poolName);
    if (attrs.poolType !== undefined) {
      if (!Object.values(PoolType).includes(attrs.poolType)) {
        throw new ValidationError(this, 'poolType', attrs.poolType, `one of ${Object.values(PoolType).map((t) => `"${t}"`).join(', ')}`);
      }
      POOL_TYPE.set(this, attrs.poolType);
    }
  }
}

function normalizePath(path: string): string {
  return Token.isUnresolved(path) ? path : path.replace(/\/+$/, '') || '/';
}
