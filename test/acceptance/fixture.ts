import { App, TerraformStack, Testing } from 'cdktf';
import { SynthesizedStack } from './util';
import { LibvirtHost } from '../../src/core';
import { Domain } from '../../src/imports/libvirt/domain';
import { Network } from '../../src/imports/libvirt/network';
import { Pool } from '../../src/imports/libvirt/pool';
import { Volume } from '../../src/imports/libvirt/volume';

/**
 * A stack written against the L1 bindings that exercises what the example apps may not (yet):
 * two hosts with the same object names, a base image from a URL with a linked clone, a volume
 * path reference, a NAT and an SR-IOV pool network, a guest with a PCI hostdev, a VF NIC and a
 * NIC on the SR-IOV pool. Applied by the suite like an example app.
 */
export function fixtureStacks(): SynthesizedStack[] {
  const app = Testing.app() as App;
  const stack = new TerraformStack(app, 'fixture');
  for (const hostName of ['HostA', 'HostB']) {
    const host = new LibvirtHost(stack, hostName, { uri: `qemu+ssh://root@${hostName.toLowerCase()}.invalid/system` });
    const p = { provider: host.provider };
    const pool = new Pool(stack, `${hostName}Pool`, { ...p, name: 'fx', type: 'dir', target: { path: '/srv/fx' } });
    const base = new Volume(stack, `${hostName}Base`, {
      ...p,
      name: 'base.qcow2',
      pool: pool.name,
      target: { format: { type: 'qcow2' } },
      create: { content: { url: 'https://cloud-images.invalid/base.qcow2' } },
    });
    const root = new Volume(stack, `${hostName}Root`, {
      ...p,
      name: 'vm-root.qcow2',
      pool: pool.name,
      capacity: 2,
      capacityUnit: 'GiB',
      target: { format: { type: 'qcow2' } },
      backingStore: { path: base.path, format: { type: 'qcow2' } },
    });
    const net = new Network(stack, `${hostName}Net`, { ...p, name: 'fx-net', ips: [{ address: '10.78.0.1', prefix: 24 }] });
    const nat = new Network(stack, `${hostName}Nat`, {
      ...p,
      name: 'fx-nat',
      forward: { mode: 'nat' },
      ips: [{ address: '10.79.0.1', prefix: 24 }],
    });
    const sriov = new Network(stack, `${hostName}Sriov`, {
      ...p,
      name: 'fx-sriov',
      forward: { mode: 'hostdev', managed: true, pfs: [{ dev: 'ens1f0' }] },
    });
    new Domain(stack, `${hostName}Vm`, {
      ...p,
      name: 'fx-vm',
      type: 'kvm',
      memory: 512,
      memoryUnit: 'MiB',
      vcpu: 1,
      os: { type: 'hvm', typeArch: 'x86_64', typeMachine: 'q35' },
      devices: {
        disks: [{
          driver: { name: 'qemu', type: 'qcow2' },
          source: { volume: { pool: root.pool, volume: root.name } },
          target: { dev: 'vda', bus: 'virtio' },
        }],
        interfaces: [
          { model: { type: 'virtio' }, mac: { address: '52:54:00:00:78:01' }, source: { network: { network: net.name } } },
          { model: { type: 'virtio' }, source: { network: { network: nat.name } } },
          { source: { network: { network: sriov.name } } },
          {
            managed: true,
            mac: { address: '52:54:00:00:78:02' },
            source: { hostdev: { pci: { address: { domain: 0, bus: 59, slot: 2, function: 3 } } } },
          },
        ],
        hostdevs: [{ managed: true, subsysPci: { source: { address: { domain: 0, bus: 101, slot: 0, function: 0 } } } }],
      },
    });
  }
  return [{ stackName: 'fixture', json: JSON.parse(Testing.synth(stack)) }];
}
