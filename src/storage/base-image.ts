import { Construct } from 'constructs';
import { ImageSource } from './image-source';
import { KNOWN_VIRTUAL_SIZE, pascalCase, pathBelowStack } from './private';
import { Volume } from './volume';
import { IBaseImage, IStoragePool, IVolume, VolumeFormat } from '../core/contracts';
import { internedId } from '../core/interned-id';
import { kebabName, validateName } from '../core/names';
import { Size } from '../core/size';
import { ValidationError } from '../core/validation-error';

/** Properties of a `BaseImage`. */
export interface BaseImageProps {
  /** Where the image comes from: `ImageSource.url(...)` or `ImageSource.file(...)`. */
  readonly source: ImageSource;
  /**
   * The image's format; linked clones name it as their backing format.
   * @default VolumeFormat.QCOW2
   */
  readonly format?: VolumeFormat;
  /**
   * The image volume's name in each pool it is uploaded to.
   * @default - derived from the construct id (`Noble` -> `noble.qcow2`)
   */
  readonly name?: string;
  /**
   * A pool to upload the image to right away, and the pool `defaultVolume()` returns the image in.
   * @default - none; the image is uploaded to a pool the first time `volumeIn(pool)` is called
   */
  readonly pool?: IStoragePool;
  /**
   * The image's virtual size (`qemu-img info`), when known. Linked clones then default to it and
   * are checked not to be smaller.
   * @default - unknown; clones must be given a capacity
   */
  readonly virtualSize?: Size;
  /**
   * Protect the image volumes from destroy (Terraform `lifecycle.prevent_destroy`).
   * @default false
   */
  readonly protect?: boolean;
}

/**
 * A disk image that boot disks are linked clones of (a cloud image, a golden image).
 *
 * The image lives once per pool: `volumeIn(pool)` uploads it to `pool` the first time it is
 * called for that pool and returns the same volume after, so every clone in a pool (a storage
 * tier) shares one copy. The per-pool volumes are children of the image, named after the pool's
 * construct path (`InImages`, `InKvm02Fast`), so their logical ids do not depend on call order.
 *
 * @example
 * const noble = new BaseImage(stack, 'Noble', {
 *   source: ImageSource.url('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img'),
 *   virtualSize: Size.mebibytes(3584),
 * });
 * const root = new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(20), backingStore: noble.volumeIn(pool) });
 */
export class BaseImage extends Construct implements IBaseImage {
  /** Where the image comes from. */
  public readonly source: ImageSource;
  /** The image's format. */
  public readonly format: VolumeFormat;
  /** The image's virtual size, when known. */
  public readonly virtualSize?: Size;
  /** The pool the image is uploaded to by default, if any. */
  public readonly pool?: IStoragePool;

  private readonly volumeName: string;
  private readonly protect: boolean;
  private readonly volumes = new Map<IStoragePool, Volume>();
  private readonly idOwners = new Map<string, IStoragePool>();

  constructor(scope: Construct, id: string, props: BaseImageProps) {
    super(scope, internedId(id));
    if (!props || !(props.source instanceof ImageSource)) {
      throw new ValidationError(this, 'source', props?.source, 'an ImageSource (ImageSource.url(...) or ImageSource.file(...))');
    }
    this.source = props.source;
    this.format = props.format ?? VolumeFormat.QCOW2;
    if (this.format !== VolumeFormat.QCOW2 && this.format !== VolumeFormat.RAW) {
      throw new ValidationError(this, 'format', this.format, 'VolumeFormat.QCOW2 or VolumeFormat.RAW',
        'A base image backs disks; upload ISO images with a Volume and attach them as CD-ROMs.');
    }
    if (props.virtualSize !== undefined && (!(props.virtualSize instanceof Size) || props.virtualSize.toBytes() === 0)) {
      throw new ValidationError(this, 'virtualSize', props.virtualSize, 'a Size larger than 0');
    }
    this.virtualSize = props.virtualSize;
    this.volumeName = validateName(this, 'name', props.name ?? `${kebabName(id)}.${this.format === VolumeFormat.RAW ? 'img' : 'qcow2'}`);
    this.protect = props.protect ?? false;
    this.pool = props.pool;
    if (this.pool) this.volumeIn(this.pool);
  }

  /**
   * The image's volume in `pool`: uploaded on the first call for that pool, reused after.
   */
  public volumeIn(pool: IStoragePool): IVolume {
    if (!pool) {
      throw new ValidationError(this, 'pool', pool, 'a storage pool');
    }
    const existing = this.volumes.get(pool);
    if (existing) return existing;

    const childId = `In${pascalCase(pathBelowStack(pool)) || pascalCase(pool.node.id)}`;
    const owner = this.idOwners.get(childId);
    if (owner) {
      throw new ValidationError(this, 'pool', pool.node.path, `a pool whose construct path is distinct from ${owner.node.path}`,
        `Both map to the child id '${childId}'; rename one of the pools' construct ids.`);
    }
    const volume = new Volume(this, childId, {
      pool,
      name: this.volumeName,
      format: this.format,
      source: this.source,
      protect: this.protect,
    });
    if (this.virtualSize) KNOWN_VIRTUAL_SIZE.set(volume, this.virtualSize);
    this.volumes.set(pool, volume);
    this.idOwners.set(childId, pool);
    return volume;
  }

  /**
   * The image's volume in its default pool (the `pool` prop).
   */
  public defaultVolume(): IVolume {
    if (!this.pool) {
      throw new ValidationError(this, 'pool', undefined, 'set to use defaultVolume()', 'Call volumeIn(pool) with the pool the clone lives in.');
    }
    return this.volumeIn(this.pool);
  }

  /** The pools the image has been uploaded to so far, in the order of first use. */
  public get pools(): IStoragePool[] {
    return [...this.volumes.keys()];
  }
}
