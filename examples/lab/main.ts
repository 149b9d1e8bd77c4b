import { App, Fn, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import {
  BaseImage, ImageSource, IpAssignment, Ipv4Cidr, IsolatedNetwork, LibvirtHost, NatNetwork, Size, StoragePool, VmCluster,
} from '../../src';

/**
 * The main example lab, on one KVM host:
 * - a dir storage pool and a Debian 12 cloud image, uploaded once into it;
 * - an isolated network for cluster traffic (static addresses, DNS) and a NAT network for egress;
 * - a 3-node cluster whose boot disks are linked clones of the image, configured by cloud-init
 *   with your SSH key; the first node gets more memory.
 */
export class LabStack extends TerraformStack {
  public readonly cluster: VmCluster;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    const sshKeyFile = new TerraformVariable(this, 'ssh_public_key_file', {
      type: 'string',
      default: '~/.ssh/id_ed25519.pub',
      description: 'Public key file (on the machine running Terraform) allowed to log in as "lab" on every node',
    });

    new LibvirtHost(this, 'Host', {
      uri: 'qemu:///system',
      inventory: { cpuThreads: 16, memory: Size.gibibytes(32) },
    });

    const pool = new StoragePool(this, 'Pool', { name: 'lab' });
    const debian = new BaseImage(this, 'Debian12', {
      source: ImageSource.url('https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-generic-amd64.qcow2'),
      virtualSize: Size.gibibytes(3),
      pool,
    });

    const cluster = new IsolatedNetwork(this, 'ClusterNet', {
      networkName: 'lab-cluster',
      subnet: Ipv4Cidr.of('10.77.0.0/24'),
      domain: 'lab.internal',
    });
    const egress = new NatNetwork(this, 'EgressNet', {
      networkName: 'lab-egress',
      subnet: Ipv4Cidr.of('10.78.0.0/24'),
    });

    this.cluster = new VmCluster(this, 'Nodes', {
      count: 3,
      namePrefix: 'node',
      pools: [pool],
      networks: [cluster, egress],
      ipAssignment: IpAssignment.allocate(),
      bootImage: debian,
      bootDiskSize: Size.gibibytes(20),
      vcpus: 2,
      memory: Size.gibibytes(4),
      currentMemory: Size.gibibytes(2),
      nodeOverrides: [{ index: 0, memory: Size.gibibytes(8), currentMemory: Size.gibibytes(4) }],
      cloudInit: {
        users: [{ name: 'lab', sshAuthorizedKeys: [Fn.chomp(Fn.file(Fn.pathexpand(sshKeyFile.stringValue)))] }],
        packages: ['qemu-guest-agent'],
        runcmd: ['systemctl enable --now qemu-guest-agent'],
      },
    });
  }
}

const app = new App();
new LabStack(app, 'lab');
app.synth();
