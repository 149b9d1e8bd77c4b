import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { Firmware, VmCluster } from '../../src/compute';
import { Ipv4Cidr, LibvirtHost, Size } from '../../src/core';
import { NatNetwork } from '../../src/network';
import { BaseImage, ImageSource, StoragePool } from '../../src/storage';

/**
 * A three-node cluster spread over two KVM hosts reached over SSH: node 1 and 3 on kvm01, node 2 on
 * kvm02. Each host has its own pool and NAT network; each node's boot clone, cloud-init seed and NIC
 * are on the host it runs on, and its address is reserved on that host's network.
 *
 * The base image is uploaded once per host (streamed through libvirt from the Terraform runner).
 */
export class TwoHostsStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const sshKey = new TerraformVariable(this, 'sshPublicKey', {
      type: 'string',
      description: 'SSH public key allowed to log in as "ops" on every node',
    });

    const kvm01 = new LibvirtHost(this, 'Kvm01', {
      uri: 'qemu+ssh://root@kvm01.lab/system?keyfile=~/.ssh/id_ed25519',
      inventory: { cpuThreads: 32, memory: Size.gibibytes(128), cpuOvercommitRatio: 2 },
    });
    const kvm02 = new LibvirtHost(this, 'Kvm02', {
      uri: 'qemu+ssh://root@kvm02.lab/system?keyfile=~/.ssh/id_ed25519',
      inventory: { cpuThreads: 32, memory: Size.gibibytes(128), cpuOvercommitRatio: 2 },
    });

    const pools = [kvm01, kvm02].map((host) => new StoragePool(this, `${host.node.id}Pool`, { host, name: 'lab' }));
    const networks = [
      new NatNetwork(this, 'Kvm01Net', { host: kvm01, networkName: 'lab', subnet: Ipv4Cidr.of('10.71.0.0/24') }),
      new NatNetwork(this, 'Kvm02Net', { host: kvm02, networkName: 'lab', subnet: Ipv4Cidr.of('10.72.0.0/24') }),
    ];
    const noble = new BaseImage(this, 'Noble', {
      source: ImageSource.url('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img'),
      virtualSize: Size.gibibytes(3),
    });

    const cluster = new VmCluster(this, 'Workers', {
      count: 3,
      hosts: [kvm01, kvm02],
      pools,
      networks,
      bootImage: noble,
      bootDiskSize: Size.gibibytes(20),
      vcpus: 4,
      memory: Size.gibibytes(8),
      firmware: Firmware.UEFI,
      autostart: true,
      nodeOverrides: [{ index: 0, vcpus: 8, memory: Size.gibibytes(16) }],
      cloudInit: {
        users: [{ name: 'ops', sshAuthorizedKeys: [sshKey.stringValue] }],
        packages: ['qemu-guest-agent'],
        runcmd: ['systemctl enable --now qemu-guest-agent'],
      },
    });
    cluster.addDisk('data', { size: Size.gibibytes(50) });
  }
}

const app = new App();
new TwoHostsStack(app, 'two-hosts');
app.synth();
