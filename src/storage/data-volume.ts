import { Construct } from 'constructs';
import { Volume, VolumeProps } from './volume';

/** Properties of a `DataVolume`. */
export interface DataVolumeProps extends VolumeProps {}

/**
 * A volume that holds data worth keeping: a `Volume` that is protected from destroy by default
 * (Terraform `lifecycle.prevent_destroy`).
 *
 * A plan that would destroy or replace it fails, so changing an immutable property (capacity,
 * format, pool, name) or `terraform destroy` is refused until `protect: false` is set
 * deliberately.
 *
 * @example
 * const pgdata = new DataVolume(stack, 'PgData', { pool, capacity: Size.gibibytes(200) });
 */
export class DataVolume extends Volume {
  constructor(scope: Construct, id: string, props: DataVolumeProps) {
    super(scope, id, { ...props, protect: props?.protect ?? true });
  }
}
