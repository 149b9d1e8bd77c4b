import { Construct } from 'constructs';
import { IStoragePool, IVolume, VolumeFormat } from '../core/contracts';
import { Size } from '../core/size';
import { ImageSource } from '../storage/image-source';
import { Volume } from '../storage/volume';

/** A volume a guest owns: a boot clone, a data disk or a cloud-init seed. */
export interface OwnedVolumeProps {
  readonly pool: IStoragePool;
  readonly name: string;
  readonly capacity?: Size;
  readonly format: VolumeFormat;
  /** The image this volume is a linked clone of. */
  readonly backingStore?: IVolume;
  /** A file on the Terraform runner to upload. */
  readonly uploadPath?: string;
}

/** What a disk needs of a volume. */
export interface VolumeRef {
  readonly poolName: string;
  readonly volumeName: string;
  readonly format: VolumeFormat;
  readonly volume: IVolume;
}

/**
 * Creates a guest-owned volume (a storage `Volume`, so changes to its definition replace it).
 */
export function createOwnedVolume(scope: Construct, id: string, props: OwnedVolumeProps): VolumeRef {
  const volume = new Volume(scope, id, {
    pool: props.pool,
    name: props.name,
    capacity: props.capacity,
    format: props.format,
    backingStore: props.backingStore,
    source: props.uploadPath !== undefined ? ImageSource.file(props.uploadPath) : undefined,
  });
  return volumeRef(volume);
}

/**
 * What a disk needs of `volume`. The pool is named through the pool's own name reference (one per
 * pool), not through each volume's `pool` attribute.
 */
export function volumeRef(volume: IVolume): VolumeRef {
  return { poolName: volume.pool.poolName, volumeName: volume.volumeName, format: volume.format, volume };
}
