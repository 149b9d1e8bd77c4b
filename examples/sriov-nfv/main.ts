import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { VirtualMachine, VmCluster } from '../../src/compute';
import { Ipv4Cidr, LibvirtHost, PciAddress, Size } from '../../src/core';
import { SriovNic, VirtualFunction } from '../../src/devices';
import { NatNetwork, SriovNetwork } from '../../src/network';
import { BaseImage, ImageSource, StoragePool } from '../../src/storage';

/**
 * An NFV lab: a router guest whose data-plane NICs are SR-IOV virtual functions on two VLANs,
 * plus two subscriber guests that draw VFs from a pool on the LAN VLAN.
 *
 * Host prerequisites (the provider cannot do them): IOMMU on (`intel_iommu=on iommu=pt`),
 * VFs created (`echo 8 > /sys/class/net/ens1f0/device/sriov_numvfs`, the same for ens1f1),
 * VF trust/spoof checking set with `ip link` if the router needs them.
 */
export class SriovNfvStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vfsOfEns1f0 = Array.from({ length: 8 }, (_, i) => PciAddress.of(`0000:3b:02.${i}`));
    new LibvirtHost(this, 'Kvm01', {
      uri: 'qemu+ssh://root@kvm01.lab/system?keyfile=~/.ssh/id_ed25519',
      inventory: {
        cpuThreads: 32,
        memory: Size.gibibytes(128),
        sriovPhysicalFunctions: [
          { name: 'ens1f0', vfCount: 8, vfAddresses: vfsOfEns1f0 },
          { name: 'ens1f1', vfCount: 8 },
        ],
      },
    });

    const pool = new StoragePool(this, 'Images', { targetPath: '/var/lib/libvirt/images/nfv' });
    const image = new BaseImage(this, 'Noble', {
      source: ImageSource.url('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img'),
      virtualSize: Size.mebibytes(3584),
    });
    const mgmt = new NatNetwork(this, 'Mgmt', { subnet: Ipv4Cidr.of('10.50.0.0/24') });
    // The LAN side: libvirt hands each guest NIC a free VF of ens1f1.
    const lanPool = new SriovNetwork(this, 'LanPool', { physicalFunction: 'ens1f1' });

    // WAN: a specific VF of ens1f0, tagged VLAN 100 by the NIC.
    const wan = new SriovNic(this, 'Wan', { vf: VirtualFunction.atAddress(vfsOfEns1f0[0]), vlan: 100, lockMemory: true });
    // LAN: a VF from the pool, tagged VLAN 200.
    const lan = new SriovNic(this, 'Lan', { vf: VirtualFunction.fromPool(lanPool), vlan: 200 });

    new VirtualMachine(this, 'Router', {
      vcpus: 4,
      memory: Size.gibibytes(8),
      pool,
      bootImage: image,
      bootDiskSize: Size.gibibytes(20),
      nics: [{ network: mgmt }],
      devices: [wan, lan],
      cloudInit: { packages: ['frr'] },
    });

    // Two subscribers, each with its own VF from the LAN pool on VLAN 200.
    new VmCluster(this, 'Subscribers', {
      count: 2,
      pools: [pool],
      networks: [mgmt],
      bootImage: image,
      bootDiskSize: Size.gibibytes(10),
      devices: [new SriovNic(this, 'SubscriberLan', { vf: VirtualFunction.fromPool(lanPool), vlan: 200 })],
    });
  }
}

const app = new App();
new SriovNfvStack(app, 'sriov-nfv');
app.synth();
