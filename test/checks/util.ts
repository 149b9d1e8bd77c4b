import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Domain } from '../../src/imports/libvirt/domain';
import { LibvirtProvider } from '../../src/imports/libvirt/provider';

/** A fresh stack with a libvirt provider. */
export function newStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new LibvirtProvider(stack, 'Libvirt', {});
  return stack;
}

/** A small, valid L1 domain. */
export function validDomain(scope: Construct, id = 'Vm'): Domain {
  return new Domain(scope, id, {
    name: 'vm',
    type: 'kvm',
    memory: 2,
    memoryUnit: 'GiB',
    os: { type: 'hvm', typeArch: 'x86_64', typeMachine: 'q35' },
    devices: {
      disks: [{ source: { file: { file: '/var/lib/libvirt/images/vm.qcow2' } }, target: { dev: 'vda', bus: 'virtio' } }],
    },
  });
}

/** The error annotations' messages on a construct. */
export function errorsOf(c: Construct): string[] {
  return c.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => String(m.data));
}

/** The warning annotations' messages on a construct. */
export function warningsOf(c: Construct): string[] {
  return c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
}
