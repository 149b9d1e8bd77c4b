import { Annotations, DefaultTokenResolver, IAspect, StringConcat, TerraformDataSource, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { loadProviderSchema } from './provider-schema';
import { checkResourceConformance } from './schema-conformance-rule';

/** Options for {@link SchemaConformance}. */
export interface SchemaConformanceProps {
  /**
   * Report findings as warnings instead of errors (errors fail `cdktf synth`).
   * @default false
   */
  readonly warningsOnly?: boolean;
  /**
   * A provider schema JSON file (`terraform providers schema -json` output) to check against.
   * @default - the schema vendored in this package (dmacvicar/libvirt 0.9.7)
   */
  readonly schemaFile?: string;
}

/**
 * Checks every `libvirt_*` resource and data source in scope against the provider schema.
 *
 * The provider silently drops attributes it does not know inside nested objects (its issue #1347:
 * `devices.video` instead of `devices.videos`), so a mistake made through an escape hatch
 * (`addOverride`) synthesizes and applies without a word. This aspect reports unknown attributes
 * at any depth, missing required attributes, computed-only attributes that are set, and wrongly
 * typed values, as `LibvirtChecks-SchemaConformance: ...` annotations on the resource. Values that
 * are Terraform expressions (references) are accepted for any type.
 *
 * @example
 * Aspects.of(stack).add(new SchemaConformance());
 */
export class SchemaConformance implements IAspect {
  /** The annotation prefix of this check's findings. */
  public static readonly RULE_ID = 'LibvirtChecks-SchemaConformance';

  private readonly warningsOnly: boolean;
  private readonly schemaFile?: string;

  constructor(props: SchemaConformanceProps = {}) {
    this.warningsOnly = props.warningsOnly ?? false;
    this.schemaFile = props.schemaFile;
  }

  /** Checks `node` when it is a libvirt resource or data source. */
  public visit(node: IConstruct): void {
    const isResource = node instanceof TerraformResource;
    const isData = node instanceof TerraformDataSource;
    if (!isResource && !isData) {
      return;
    }
    const element = node as TerraformResource | TerraformDataSource;
    const type = element.terraformResourceType;
    if (!type.startsWith('libvirt_')) {
      return;
    }
    const schema = loadProviderSchema(this.schemaFile);
    const synthesized = Tokenization.resolve(element.toTerraform(), {
      scope: TerraformStack.of(node),
      resolver: new DefaultTokenResolver(new StringConcat()),
      preparing: false,
    });
    const section = isData ? synthesized?.data : synthesized?.resource;
    const bodies = section?.[type] ?? {};
    for (const id of Object.keys(bodies)) {
      const address = `${isData ? 'data.' : ''}${type}.${id}`;
      const block = isData ? schema.dataSources[type] : schema.resources[type];
      for (const f of checkResourceConformance(address, type, bodies[id], block, isData)) {
        const message = `${SchemaConformance.RULE_ID}: ${f.attributePath ? `${f.attributePath}: ` : ''}${f.problem}`;
        if (this.warningsOnly) {
          Annotations.of(node).addWarning(message);
        } else {
          Annotations.of(node).addError(message);
        }
      }
    }
  }
}
