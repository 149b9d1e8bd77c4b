import { DefaultTokenResolver, StringConcat, Testing, TerraformStack, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { Hypervisor, IGuest, LibvirtHost, LibvirtHostProps, Size } from '../../src/core';

/** A fresh stack with one host. */
export function hostStack(hostProps: LibvirtHostProps = {}): { stack: TerraformStack; host: LibvirtHost } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'Test');
  const host = new LibvirtHost(stack, 'Host', hostProps);
  return { stack, host };
}

/** The synthesized stack as JSON. */
export function synthJson(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** The one `libvirt_network` resource of a network construct with the given id. */
export function networkResource(stack: TerraformStack, id: string): any {
  const resources = synthJson(stack).resource.libvirt_network;
  const key = Object.keys(resources).find((k) => new RegExp(`^${id}_[0-9A-F]{8}$`).test(k));
  if (!key) throw new Error(`no libvirt_network for ${id} in ${Object.keys(resources).join(', ')}`);
  return resources[key];
}

/** A minimal guest for attach tests. */
export class FakeGuest extends Construct implements IGuest {
  public readonly hypervisor = Hypervisor.KVM;
  public readonly memberIndex = 0;
  public readonly memory = Size.gibibytes(1);
  constructor(scope: Construct, id: string, public readonly host: LibvirtHost, public readonly guestName: string = id.toLowerCase()) {
    super(scope, id);
  }
}

/** Resolves tokens (e.g. a resource reference) the way synth does. */
export function resolve(stack: TerraformStack, value: unknown): any {
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}
