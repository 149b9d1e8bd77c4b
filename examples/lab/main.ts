import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { LibvirtHost, libvirt } from '../../src';

/**
 * A small lab on one host, written against the L1 bindings: a dir pool, an isolated network and
 * one guest. The construct issues rewrite it with the high-level constructs.
 */
export class LabStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const host = new LibvirtHost(this, 'Host', { uri: 'qemu:///system' });

    const pool = new libvirt.pool.Pool(this, 'Pool', {
      provider: host.provider,
      name: 'lab',
      type: 'dir',
      target: { path: '/var/lib/libvirt/images/lab' },
    });
    const root = new libvirt.volume.Volume(this, 'Root', {
      provider: host.provider,
      name: 'vm1-root.qcow2',
      pool: pool.name,
      capacity: 10,
      capacityUnit: 'GiB',
      target: { format: { type: 'qcow2' } },
    });
    const net = new libvirt.network.Network(this, 'Net', {
      provider: host.provider,
      name: 'lab-net',
      ips: [{ address: '10.77.0.1', prefix: 24, dhcp: { ranges: [{ start: '10.77.0.100', end: '10.77.0.200' }] } }],
    });
    new libvirt.domain.Domain(this, 'Vm1', {
      provider: host.provider,
      name: 'vm1',
      type: 'kvm',
      memory: 2,
      memoryUnit: 'GiB',
      vcpu: 2,
      os: { type: 'hvm', typeArch: 'x86_64', typeMachine: 'q35' },
      devices: {
        disks: [{
          driver: { name: 'qemu', type: 'qcow2' },
          source: { volume: { pool: root.pool, volume: root.name } },
          target: { dev: 'vda', bus: 'virtio' },
        }],
        interfaces: [{ model: { type: 'virtio' }, source: { network: { network: net.name } } }],
      },
    });
  }
}

const app = new App();
new LabStack(app, 'lab');
app.synth();
