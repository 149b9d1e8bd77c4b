import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Firmware, VirtualMachine } from '../../src/compute';
import { Ipv4Cidr, LibvirtHost, PciAddress, Size } from '../../src/core';
import { PassthroughDevice, PassthroughSource } from '../../src/devices';
import { NatNetwork } from '../../src/network';
import { BaseImage, ImageSource, StoragePool } from '../../src/storage';

/**
 * A workstation guest with a passed-through NVIDIA GPU (video and HDMI audio functions together)
 * and a USB keyboard and mouse.
 *
 * Host prerequisites (the provider cannot do them): IOMMU on in firmware and on the kernel command
 * line (`intel_iommu=on iommu=pt` or `amd_iommu=on`), the GPU alone in its IOMMU group, and no host
 * driver holding it (`vfio-pci.ids=10de:24b0,10de:228b` or a driver blacklist).
 */
export class GpuWorkstationStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const host = new LibvirtHost(this, 'Kvm01', {
      uri: 'qemu+ssh://root@kvm01.lab/system?keyfile=~/.ssh/id_ed25519',
      inventory: {
        cpuThreads: 16,
        memory: Size.gibibytes(64),
        pciDevices: [{
          name: 'gpu0',
          address: PciAddress.of('0000:65:00.0'),
          companionFunctions: [1],
          vendorId: '10de',
          description: 'NVIDIA RTX A4000',
        }],
      },
    });

    const pool = new StoragePool(this, 'Images', { targetPath: '/var/lib/libvirt/images/ws' });
    const image = new BaseImage(this, 'Noble', {
      source: ImageSource.url('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img'),
      virtualSize: Size.mebibytes(3584),
    });
    const net = new NatNetwork(this, 'Net', { subnet: Ipv4Cidr.of('10.60.0.0/24') });

    const gpu = new PassthroughDevice(this, 'Gpu', {
      source: PassthroughSource.inventoryDevice(host.pciDevice('gpu0')),
      hideKvmSignature: true,
    });
    const keyboard = new PassthroughDevice(this, 'Keyboard', { source: PassthroughSource.usb('046d', 'c31c') });
    const mouse = new PassthroughDevice(this, 'Mouse', { source: PassthroughSource.usb('046d', 'c077') });

    new VirtualMachine(this, 'Workstation', {
      vcpus: 8,
      memory: Size.gibibytes(16),
      firmware: Firmware.UEFI,
      pool,
      bootImage: image,
      bootDiskSize: Size.gibibytes(100),
      nics: [{ network: net }],
      devices: [gpu, keyboard, mouse],
      cloudInit: { packages: ['ubuntu-drivers-common'] },
    });
  }
}

const app = new App();
new GpuWorkstationStack(app, 'gpu-workstation');
app.synth();
