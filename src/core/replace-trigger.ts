import { IResolveContext, TerraformResource, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { producedValue, withoutUndefined } from './produced';
import { ValidationError } from './validation-error';

const ID = 'LibvirtReplaceTriggers';

/**
 * The stack's one Terraform `terraform_data` resource (Terraform 1.4+) holding the immutable
 * definitions of the libvirt objects that cannot be updated in place, keyed by their logical IDs.
 *
 * Each owner lists its own key in `lifecycle.replace_triggered_by`
 * (`terraform_data.LibvirtReplaceTriggers.input.<logical id>`), so a changed definition is a planned
 * replacement of that owner alone, instead of an in-place update that the provider rejects at
 * apply (pools, volumes) or silently does not apply (networks). The trigger itself is updated in
 * place when definitions are added, changed or removed.
 *
 * Each definition is one JSON text (object keys sorted at the top): cdktf walks every value of a
 * stack twice more after it is produced, and one string per owner costs far less to walk than
 * nested objects. Terraform's plan shows a changed JSON text as a `jsonencode(...)` diff of the
 * values inside, so the plan still names the value that changed.
 *
 * One shared resource, not one per owner: a lab of 1000 guests would otherwise carry about 2000
 * extra resources. A definition that refers to another tracked owner (a linked clone's backing
 * store path) records that reference as plain text (`libvirt_volume.Base.path`), which keeps the
 * identity but not the dependency: a live reference would make the trigger depend on an owner
 * that depends on the trigger, a cycle. References to anything else (a cloud-init disk's path)
 * stay live, so their changes still replace the owner. It is written here rather than with cdktf's `DataResource`, which adds a
 * synth-time validation that runs `terraform version` once per instance.
 */
export class ReplaceTrigger extends TerraformResource {
  /** The Terraform resource type. */
  public static readonly tfResourceType = 'terraform_data';

  /** The stack's shared trigger, created at the stack root on first use. */
  public static of(scope: IConstruct): ReplaceTrigger {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    return existing instanceof ReplaceTrigger ? existing : new ReplaceTrigger(stack, ID);
  }

  /**
   * `<type>.<id>` of a resource, for `lifecycle.replaceTriggeredBy`. cdktf renders a resource
   * reference there as `"${...}"`, which Terraform rejects (hashicorp/terraform-cdk#3532).
   *
   * Plain text, not a Token: it reads the resource's logical ID now, which cdktf fixes the first
   * time it is read (a later `overrideLogicalId` is ignored by cdktf itself, also in the
   * resource's own JSON key). Override a logical ID before the resource is tracked or referred to.
   */
  public static addressOf(resource: TerraformResource): string {
    return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
  }

  private readonly definitions = new Map<TerraformResource, { [key: string]: any }>();

  private constructor(scope: TerraformStack, id: string) {
    super(scope, id, {
      terraformResourceType: ReplaceTrigger.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
    });
  }

  /**
   * Records `owner`'s immutable definition and returns the reference for the owner's
   * `lifecycle.replaceTriggeredBy`. Keys are written sorted and undefined values dropped, so synth
   * is deterministic. The definition is made of `owner`'s own attribute values: a Token in it
   * that is not also in the owner's attributes is not seen by cdktf's cross-stack reference
   * discovery. Like `addressOf`, this reads (and so fixes) the owner's logical ID.
   */
  public track(owner: TerraformResource, definition: { [key: string]: any }): string {
    this.definitions.set(owner, sortedDefinition(withoutUndefined(definition)));
    return `${ReplaceTrigger.addressOf(this)}.input.${owner.friendlyUniqueId}`;
  }

  /**
   * Renames the trigger. Only before anything is tracked: owners refer to it by plain address,
   * and cdktf ignores a logical ID override once the ID has been read.
   */
  public overrideLogicalId(newLogicalId: string): void {
    if (this.definitions.size > 0) {
      throw new ValidationError(this, 'logicalId', newLogicalId, 'set before any pool, volume or network is tracked',
        `Call ReplaceTrigger.of(stack).overrideLogicalId(${JSON.stringify(newLogicalId)}) before creating them.`);
    }
    super.overrideLogicalId(newLogicalId);
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      input: producedValue((ctx: IResolveContext) => {
        // cdktf resolves every element once "preparing" (to find cross-stack references) before
        // the real synth. Every Token in a definition comes from its owner's own attributes,
        // which that pass walks anyway, so the definitions need no second walk there.
        if (ctx.preparing) return {};
        const owners = [...this.definitions.keys()];
        const tracked = new Set(owners.map((o) => ReplaceTrigger.addressOf(o)));
        const input: { [key: string]: string } = {};
        for (const owner of owners.sort((a, b) => (a.friendlyUniqueId < b.friendlyUniqueId ? -1 : 1))) {
          input[owner.friendlyUniqueId] = JSON.stringify(resolveUnlinked(this.definitions.get(owner)!, ctx, tracked));
        }
        return input;
      }),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return { input: { value: this.synthesizeAttributes().input, isBlock: false, type: 'simple', storageClassType: 'anyMap' } };
  }
}

/**
 * Resolves a definition, turning `${<tracked owner>...}` interpolations into plain text. Only
 * Tokens go through cdktf's resolver; the rest (most of a definition) is copied as is, which is
 * much cheaper for the thousands of definitions of a large lab.
 */
function resolveUnlinked(value: any, ctx: IResolveContext, tracked: Set<string>): any {
  if (typeof value === 'string') {
    const text = Token.isUnresolved(value) ? ctx.resolve(value) : value;
    return typeof text === 'string' ? unlinkText(text, tracked) : resolveUnlinked(text, ctx, tracked);
  }
  if (typeof value === 'number') return Token.isUnresolved(value) ? ctx.resolve(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Tokenization.isResolvable(value)) return resolveUnlinked(ctx.resolve(value), ctx, tracked);
  if (Array.isArray(value)) {
    if (Token.isUnresolved(value)) return resolveUnlinked(ctx.resolve(value), ctx, tracked); // a list Token
    return value.map((v) => resolveUnlinked(v, ctx, tracked)).filter((v) => v !== undefined);
  }
  if (Token.isUnresolved(value)) return resolveUnlinked(ctx.resolve(value), ctx, tracked); // a map Token
  const out: { [key: string]: any } = {};
  for (const [k, v] of Object.entries(value)) {
    const resolved = resolveUnlinked(v, ctx, tracked);
    if (resolved !== undefined) out[k] = resolved;
  }
  return out;
}

function unlinkText(text: string, tracked: Set<string>): string {
  if (!text.includes('${')) return text;
  return text.replace(/\$\{((\w+\.\w+)(\.[\w.]+)?)\}/g, (m, ref: string, address: string) => (tracked.has(address) ? ref : m));
}

function sortedDefinition(definition: { [key: string]: any }): { [key: string]: any } {
  const sorted: { [key: string]: any } = {};
  for (const key of Object.keys(definition).sort()) sorted[key] = definition[key];
  return sorted;
}
