import { AnnotationMetadataEntryType, App, TerraformStack, Testing } from 'cdktf';
import { IConstruct } from 'constructs';
import { LibvirtHost } from '../../src/core';

/** A fresh app, stack and host for one test. */
export function newStack(): { app: App; stack: TerraformStack; host: LibvirtHost } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'Lab');
  const host = new LibvirtHost(stack, 'Kvm01');
  return { app, stack, host };
}

/** The synthesized stack as JSON. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** The resources of `type` in a synthesized stack, by logical id. */
export function resourcesOf(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The one resource of `type` whose logical id starts with `prefix` (throws when there is not exactly one). */
export function resourceOf(json: any, type: string, prefix: string): any {
  const all = resourcesOf(json, type);
  const keys = Object.keys(all).filter((k) => k.startsWith(`${prefix}_`));
  if (keys.length !== 1) {
    throw new Error(`expected one ${type} with id ${prefix}_*, found [${keys.join(', ')}] among [${Object.keys(all).join(', ')}]`);
  }
  return all[keys[0]];
}

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
export function logicalIdOf(json: any, type: string, prefix: string): string {
  const keys = Object.keys(resourcesOf(json, type)).filter((k) => k.startsWith(`${prefix}_`));
  if (keys.length !== 1) throw new Error(`expected one ${type} with id ${prefix}_*, found [${keys.join(', ')}]`);
  return keys[0];
}

/** The warning annotations on a construct. */
export function warningsOf(c: IConstruct): string[] {
  return c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data));
}

/** The definition recorded for a resource in the stack's shared replace trigger (a JSON text), parsed. */
export function triggerEntryOf(json: any, type: string, prefix: string): any {
  const text = json.resource.terraform_data.LibvirtReplaceTriggers.input[logicalIdOf(json, type, prefix)];
  if (typeof text !== 'string') throw new Error(`no replace-trigger entry for ${type} ${prefix}: ${JSON.stringify(text)}`);
  return JSON.parse(text);
}
