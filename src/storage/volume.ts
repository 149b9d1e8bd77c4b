import { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { ImageSource } from './image-source';
import { PoolType } from './pool-source';
import { FILE_POOL_TYPES, KNOWN_VIRTUAL_SIZE, POOL_TYPE, poolClaimKey, renderCapacity } from './private';
import { IStoragePool, IVolume, VolumeFormat } from '../core/contracts';
import { internedId } from '../core/interned-id';
import { LibvirtHost } from '../core/libvirt-host';
import { kebabName, validateName } from '../core/names';
import { ReplaceTrigger } from '../core/replace-trigger';
import { Size } from '../core/size';
import { ValidationError } from '../core/validation-error';
import {
  Volume as VolumeResource, VolumeBackingStore, VolumeTarget,
  volumeBackingStoreToTerraform, volumeTargetToTerraform,
} from '../imports/libvirt/volume';

/** Options of a volume made by `StoragePool.addVolume`. */
export interface VolumeOptions {
  /**
   * The volume's libvirt name (its file name in a file pool). Changing it replaces the volume.
   * @default - derived from the construct id plus an extension in file pools
   *   (`DataDisk` -> `data-disk.qcow2`, `.img` for raw, `.iso` for ISO)
   */
  readonly name?: string;
  /**
   * The volume's size (its virtual size for qcow2). Required for a blank volume; a linked clone
   * must not be smaller than its base. Changing it replaces the volume.
   * @default - for a linked clone, the base's size when known at synth; for an upload, the
   *   size of the content (the URL must then send a Content-Length)
   */
  readonly capacity?: Size;
  /**
   * The on-disk format (`target.format.type`). Changing it replaces the volume.
   * @default - QCOW2 in file pools (ISO for an upload whose name ends in `.iso`); RAW in block pools
   */
  readonly format?: VolumeFormat;
  /**
   * Make the volume a linked clone: a qcow2 overlay whose backing file is this volume (what
   * `qemu-img create -b` or `virt-clone` do by hand). Only writes land in the overlay. Changing
   * it replaces the volume.
   * @default - no backing store
   */
  readonly backingStore?: IVolume;
  /**
   * Content to upload into the volume when it is created (a cloud image, an ISO...). Changing it
   * replaces the volume.
   * @default - a blank volume
   */
  readonly source?: ImageSource;
  /**
   * Refuse to destroy the volume (Terraform `lifecycle.prevent_destroy`): a plan that would
   * destroy or replace it fails, including `terraform destroy`.
   * @default false
   */
  readonly protect?: boolean;
}

/** Properties of a `Volume`. */
export interface VolumeProps extends VolumeOptions {
  /** The pool (storage tier) the volume lives in. Changing it replaces the volume. */
  readonly pool: IStoragePool;
}

/**
 * A libvirt storage volume (`libvirt_volume`): a blank disk, an uploaded image, or a linked
 * clone of a base image.
 *
 * The provider cannot update a volume in place. The volume's immutable definition (capacity,
 * format, backing store, content) is recorded in the stack's `terraform_data` resource
 * (`ReplaceTrigger`) under the volume's logical ID, and the volume lists that entry in its
 * `lifecycle.replace_triggered_by`, so changing any of them replaces the volume, and so does replacing its pool. Protect data volumes with `protect` (or use
 * `DataVolume`) so such a replacement fails the plan instead of deleting data.
 *
 * @example
 * const data = new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(100) });
 * const root = new Volume(stack, 'Root', {
 *   pool,
 *   capacity: Size.gibibytes(20),
 *   backingStore: image.volumeIn(pool),
 * });
 */
export class Volume extends Construct implements IVolume {
  /** True when `x` is a `Volume`. */
  public static isVolume(x: any): x is Volume {
    return x !== null && typeof x === 'object' && x instanceof Volume;
  }

  /** The pool the volume is in. */
  public readonly pool: IStoragePool;
  /** The host the volume is on (its pool's). */
  public readonly host: LibvirtHost;
  /** The on-disk format. */
  public readonly format: VolumeFormat;
  /** The volume's size, when known at synth. */
  public readonly capacity?: Size;
  /** The base volume of a linked clone. */
  public readonly backingStore?: IVolume;
  /** Whether the volume is protected from destroy. */
  public readonly isProtected: boolean;
  /** The volume resource, for dependencies. */
  public readonly dependable: ITerraformDependable;
  /** The `libvirt_volume` resource (escape hatch). */
  public readonly resource: VolumeResource;
  /** The stack's `terraform_data` resource holding this volume's definition (shared with other pools, volumes, networks). */
  public readonly replaceTrigger: ReplaceTrigger;
  private _volumeName?: string;
  private _volumePath?: string;

  constructor(scope: Construct, id: string, props: VolumeProps) {
    super(scope, internedId(id));
    if (!props || !props.pool) {
      throw new ValidationError(this, 'pool', props?.pool, 'a storage pool (a StoragePool or StoragePool.fromPoolName(...))');
    }
    this.pool = props.pool;
    this.host = this.pool.host;
    const poolType = POOL_TYPE.get(this.pool);
    const holdsFiles = poolType === undefined || FILE_POOL_TYPES.includes(poolType);

    if (poolType === PoolType.ISCSI) {
      throw new ValidationError(this, 'pool', this.pool.node.path, 'a pool that volumes can be created in',
        'iSCSI pools only expose the target\'s existing LUNs; libvirt cannot create volumes in them.');
    }
    if (props.backingStore && props.source) {
      throw new ValidationError(this, 'source', props.source.contentUrl, 'unset when \'backingStore\' is set',
        'A volume is either a linked clone of a base or an upload, not both.');
    }

    this.format = this.resolveFormat(props, poolType, holdsFiles);
    this.backingStore = props.backingStore;
    if (this.backingStore) this.checkBackingStore(this.backingStore, poolType, holdsFiles);

    this.capacity = this.resolveCapacity(props);
    this.isProtected = props.protect ?? false;

    const name = validateName(this, 'name', props.name ?? defaultVolumeName(id, this.format, holdsFiles));
    this.host.claim('volume name', `${poolClaimKey(this.pool)}/${name}`, this, 'name');

    // Block pools (LVs, partitions, zvols, RBD images) are raw by nature and report their own
    // format; setting one there gives an inconsistent readback, like raw for ISOs (#1346).
    const target: VolumeTarget | undefined = holdsFiles ? { format: { type: this.format } } : undefined;
    const backingStore: VolumeBackingStore | undefined = this.backingStore
      ? { path: this.backingStore.volumePath, format: { type: this.backingStore.format } }
      : undefined;
    const capacity = this.capacity ? renderCapacity(this.capacity) : undefined;
    const contentUrl = props.source?.contentUrl;

    this.replaceTrigger = ReplaceTrigger.of(this);

    this.resource = new VolumeResource(this, 'Resource', {
      provider: this.host.provider,
      name,
      pool: this.pool.poolName,
      capacity: capacity?.capacity,
      capacityUnit: capacity?.capacityUnit,
      target,
      backingStore,
      create: contentUrl !== undefined ? { content: { url: contentUrl } } : undefined,
    });
    const replaceTriggeredBy = [this.replaceTrigger.track(this.resource, {
      capacity: capacity?.capacity,
      capacity_unit: capacity?.capacityUnit,
      target: target ? volumeTargetToTerraform(target) : undefined,
      backing_store: backingStore ? volumeBackingStoreToTerraform(backingStore) : undefined,
      content_url: contentUrl,
    })];
    // Replacing the pool (the app's own, whose dependable is the pool resource) replaces its volumes.
    if (this.pool.dependable instanceof TerraformResource) replaceTriggeredBy.push(ReplaceTrigger.addressOf(this.pool.dependable));
    this.resource.lifecycle = { preventDestroy: this.isProtected ? true : undefined, replaceTriggeredBy };
    this.dependable = this.resource;
  }

  /** The volume's libvirt name: a reference to the volume resource's `name`. */
  public get volumeName(): string {
    return this._volumeName ?? (this._volumeName = this.resource.name);
  }

  /**
   * The volume's path on the host: a reference, known after apply. Made on first use: most
   * volumes (boot clones, seeds, data disks) are never referred to by path.
   */
  public get volumePath(): string {
    return this._volumePath ?? (this._volumePath = this.resource.path);
  }

  private resolveFormat(props: VolumeProps, poolType: string | undefined, holdsFiles: boolean): VolumeFormat {
    const given = props.format;
    if (given !== undefined && !Object.values(VolumeFormat).includes(given)) {
      throw new ValidationError(this, 'format', given, `one of ${Object.values(VolumeFormat).map((v) => `VolumeFormat.${v.toUpperCase()}`).join(', ')}`);
    }
    if (!holdsFiles) {
      if (given !== undefined && given !== VolumeFormat.RAW) {
        throw new ValidationError(this, 'format', given, `VolumeFormat.RAW in a ${poolType} pool`,
          `Volumes of ${poolType} pools are block devices; qcow2 and ISO files need a dir, fs or netfs pool.`);
      }
      return VolumeFormat.RAW;
    }
    if (props.backingStore) {
      if (given !== undefined && given !== VolumeFormat.QCOW2) {
        throw new ValidationError(this, 'format', given, 'VolumeFormat.QCOW2 for a linked clone',
          'Only qcow2 overlays can have a backing file.');
      }
      return VolumeFormat.QCOW2;
    }
    if (given !== undefined) return given;
    return props.source?.looksLikeIso ? VolumeFormat.ISO : VolumeFormat.QCOW2;
  }

  private checkBackingStore(base: IVolume, poolType: string | undefined, holdsFiles: boolean): void {
    if (!holdsFiles) {
      throw new ValidationError(this, 'backingStore', base.node.path, `unset in a ${poolType} pool`,
        'Linked clones are qcow2 overlays; use a dir, fs or netfs pool.');
    }
    if (base.pool.host !== this.host) {
      throw new ValidationError(this, 'backingStore', base.node.path, `a volume on host ${this.host.node.path}`,
        `It is on host ${base.pool.host.node.path}; use baseImage.volumeIn(pool) to get the image on this host.`);
    }
    if (base.format === VolumeFormat.ISO) {
      throw new ValidationError(this, 'backingStore', base.node.path, 'a qcow2 or raw volume',
        'An ISO image cannot back a disk; attach it as a CD-ROM instead.');
    }
  }

  private resolveCapacity(props: VolumeProps): Size | undefined {
    const given = props.capacity;
    if (given !== undefined && !(given instanceof Size)) {
      throw new ValidationError(this, 'capacity', given, 'a Size, e.g. Size.gibibytes(20)');
    }
    if (given !== undefined && given.toBytes() === 0) {
      throw new ValidationError(this, 'capacity', given, 'larger than 0');
    }
    const base = props.backingStore;
    if (base) {
      const baseSize = knownSize(base);
      if (given && baseSize && given.compareTo(baseSize) < 0) {
        throw new ValidationError(this, 'capacity', given, `at least the size of the base ${base.node.path} (${baseSize})`,
          'A linked clone cannot be smaller than its backing file.');
      }
      const capacity = given ?? baseSize;
      if (!capacity) {
        throw new ValidationError(this, 'capacity', undefined, 'set for a linked clone whose base size is not known at synth',
          'Give the clone a capacity at least as large as the image\'s virtual size (or set BaseImage \'virtualSize\').');
      }
      return capacity;
    }
    if (!props.source && !given) {
      throw new ValidationError(this, 'capacity', undefined, 'set for a blank volume, e.g. Size.gibibytes(20)');
    }
    return given;
  }
}

function knownSize(volume: IVolume): Size | undefined {
  if (Volume.isVolume(volume) && volume.capacity) return volume.capacity;
  return KNOWN_VIRTUAL_SIZE.get(volume);
}

function defaultVolumeName(id: string, format: VolumeFormat, holdsFiles: boolean): string {
  const base = kebabName(id);
  if (!holdsFiles) return base;
  const ext = format === VolumeFormat.RAW ? 'img' : format;
  return `${base}.${ext}`;
}
