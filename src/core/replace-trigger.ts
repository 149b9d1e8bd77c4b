import { Lazy, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';

/** Properties of a `ReplaceTrigger`. */
export interface ReplaceTriggerProps {
  /**
   * The definition whose change must replace the owner: stored as the `terraform_data` input.
   * Keys are written sorted and undefined values dropped, so synth is deterministic.
   */
  readonly input: { [key: string]: any };
}

/**
 * A Terraform `terraform_data` resource (Terraform 1.4+) holding the immutable definition of a
 * libvirt object. The owner lists it in `lifecycle.replace_triggered_by`, so a changed definition
 * is a planned replacement instead of an in-place update that the provider rejects at apply
 * (pools, volumes) or silently does not apply (networks).
 *
 * It is written here rather than with cdktf's `DataResource`, which adds a synth-time validation
 * that runs `terraform version` once per instance: seconds per hundred guests, and a failed synth
 * on machines without terraform.
 */
export class ReplaceTrigger extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = 'terraform_data';

  /**
   * `<type>.<id>` of a resource, for `lifecycle.replaceTriggeredBy`. cdktf renders a resource
   * reference there as `"${...}"`, which Terraform rejects (hashicorp/terraform-cdk#3532).
   */
  public static addressOf(resource: TerraformResource): string {
    return Lazy.stringValue({ produce: () => `${resource.terraformResourceType}.${resource.friendlyUniqueId}` });
  }

  private readonly input: { [key: string]: any };

  constructor(scope: Construct, id: string, props: ReplaceTriggerProps) {
    super(scope, id, {
      terraformResourceType: ReplaceTrigger.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
    });
    this.input = props.input;
  }

  /** This trigger's address, for the owner's `lifecycle.replaceTriggeredBy`. */
  public get address(): string {
    return ReplaceTrigger.addressOf(this);
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    const sorted: { [key: string]: any } = {};
    for (const key of Object.keys(this.input).sort()) {
      if (this.input[key] !== undefined) sorted[key] = this.input[key];
    }
    return { input: sorted };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { input: { value: this.synthesizeAttributes().input, isBlock: false, type: 'simple', storageClassType: 'anyMap' } };
  }
}
