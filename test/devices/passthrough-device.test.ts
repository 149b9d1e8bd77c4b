import { Testing } from 'cdktf';
import { FakeGuest, domainOf, hostStack } from './util';
import { LibvirtHost, PciAddress } from '../../src/core';
import { PassthroughDevice, PassthroughSource, SriovNic, VirtualFunction } from '../../src/devices';
import { Domain } from '../../src/imports/libvirt/domain';

const GPU = PciAddress.of('0000:65:00.0');
const GPU_INVENTORY = {
  pciDevices: [{ name: 'gpu0', address: GPU, companionFunctions: [1], vendorId: '10DE', description: 'NVIDIA RTX A4000' }],
};

describe('PassthroughDevice', () => {
  describe('PCI', () => {
    test('renders a managed vfio hostdev with the decimal PCI address', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const nvme = new PassthroughDevice(stack, 'Nvme', { source: PassthroughSource.pci(PciAddress.of('0000:3b:00.0')) });
      // WHEN
      new FakeGuest(stack, 'Db', { host, devices: [nvme] });
      // THEN
      expect(domainOf(stack, 'Db').devices.hostdevs).toEqual([{
        managed: true,
        subsys_pci: { driver: { name: 'vfio' }, source: { address: { domain: 0, bus: 59, slot: 0, function: 0 } } },
      }]);
    });

    test('passes every function of a multifunction device together, in function order', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU, { companionFunctions: [3, 1] }) });
      // WHEN
      new FakeGuest(stack, 'Ws', { host, devices: [gpu] });
      // THEN
      const functions = domainOf(stack, 'Ws').devices.hostdevs.map((h: any) => h.subsys_pci.source.address.function);
      expect(functions).toEqual([0, 1, 3]);
    });

    test('sets the ROM bar and file on the primary function only', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const gpu = new PassthroughDevice(stack, 'Gpu', {
        source: PassthroughSource.pci(GPU, { companionFunctions: [1] }), romBar: false, romFile: '/var/lib/libvirt/vbios/a4000.rom',
      });
      // WHEN
      new FakeGuest(stack, 'Ws', { host, devices: [gpu] });
      // THEN
      const [primary, audio] = domainOf(stack, 'Ws').devices.hostdevs;
      expect(primary.rom).toEqual({ bar: 'off', file: '/var/lib/libvirt/vbios/a4000.rom' });
      expect(audio.rom).toBeUndefined();
    });

    test('renders no ROM settings by default', () => {
      const { stack, host } = hostStack();
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU) });
      new FakeGuest(stack, 'Ws', { host, devices: [gpu] });
      expect(domainOf(stack, 'Ws').devices.hostdevs[0].rom).toBeUndefined();
    });

    test('throws when the ROM file is not an absolute path', () => {
      const { stack } = hostStack();
      expect(() => new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU), romFile: 'vbios.rom' }))
        .toThrow(/test\/Gpu: 'romFile' must be an absolute path on the host/);
    });

    test('throws when a companion function is the device\'s own function', () => {
      expect(() => PassthroughSource.pci(GPU, { companionFunctions: [0] }))
        .toThrow(/PassthroughSource.pci: 'companionFunctions' must be distinct function numbers from 0 to 7 other than the device's own function \(0\), got \[0\]/);
    });

    test('throws when a companion function is out of range', () => {
      expect(() => PassthroughSource.pci(GPU, { companionFunctions: [8] })).toThrow(/'companionFunctions' must be distinct function numbers from 0 to 7/);
    });

    test('throws when the PCI vendor id is malformed', () => {
      expect(() => PassthroughSource.pci(GPU, { vendorId: 'nvidia' }))
        .toThrow(/PassthroughSource.pci: 'vendorId' must be a PCI vendor id of four hex digits/);
    });

    test('throws when given a malformed PCI address', () => {
      expect(() => PassthroughSource.pci(PciAddress.of('0000:65:00'))).toThrow(/PciAddress.of: 'address' must be a PCI address/);
    });

    test('asks for q35 and marks itself as hardware passthrough', () => {
      const { stack, host } = hostStack();
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU) });
      const guest = new FakeGuest(stack, 'Ws', { host, devices: [gpu] });
      expect(guest.configs[0]).toMatchObject({ requiresQ35: true, hardwarePassthrough: true, hideKvmSignature: false, requiresLockedMemory: false });
    });

    test('asks the guest to hide the KVM signature and lock memory when told to', () => {
      const { stack, host } = hostStack();
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU), hideKvmSignature: true, lockMemory: true });
      const guest = new FakeGuest(stack, 'Ws', { host, devices: [gpu] });
      expect(guest.configs[0]).toMatchObject({ hideKvmSignature: true, requiresLockedMemory: true });
    });

    test('synthesizes the hostdev through the typed bindings', () => {
      const { stack, host } = hostStack();
      new FakeGuest(stack, 'Ws', { host, devices: [new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU) })] });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Domain, {
        devices: expect.objectContaining({
          hostdevs: [expect.objectContaining({ subsys_pci: expect.objectContaining({ driver: { name: 'vfio' } }) })],
        }),
      });
    });
  });

  describe('from the host inventory', () => {
    test('takes the address, companion functions and vendor of a named device', () => {
      // GIVEN
      const { stack, host } = hostStack(GPU_INVENTORY);
      // WHEN
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.inventory('gpu0') });
      new FakeGuest(stack, 'Ws', { host, devices: [gpu] });
      // THEN
      expect(gpu.pciAddress?.toString()).toBe('0000:65:00.0');
      expect(gpu.isNvidia).toBe(true);
      expect(domainOf(stack, 'Ws').devices.hostdevs.map((h: any) => h.subsys_pci.source.address))
        .toEqual([{ domain: 0, bus: 101, slot: 0, function: 0 }, { domain: 0, bus: 101, slot: 0, function: 1 }]);
    });

    test('takes a device handed over with host.pciDevice()', () => {
      const { stack, host } = hostStack(GPU_INVENTORY);
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.inventoryDevice(host.pciDevice('gpu0')) });
      const guest = new FakeGuest(stack, 'Ws', { host, devices: [gpu] });
      expect(guest.configs[0].hostdevs).toHaveLength(2);
    });

    test('throws when the inventory has no device of that name, listing the names it has', () => {
      const { stack } = hostStack(GPU_INVENTORY);
      expect(() => new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.inventory('gpu1') }))
        .toThrow(/test\/Host: 'pciDevice' must be the name of a PCI device in the inventory \("gpu0"\), got "gpu1"/);
    });
  });

  describe('USB', () => {
    test('renders vendor and product ids as 0x-prefixed lower-case hex', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const dongle = new PassthroughDevice(stack, 'Dongle', { source: PassthroughSource.usb('046D', '0xC52B') });
      // WHEN
      new FakeGuest(stack, 'Ws', { host, devices: [dongle] });
      // THEN
      expect(domainOf(stack, 'Ws').devices.hostdevs).toEqual([{
        managed: true,
        subsys_usb: { source: { vendor: { id: '0x046d' }, product: { id: '0xc52b' } } },
      }]);
    });

    test('does not ask for q35', () => {
      const { stack, host } = hostStack();
      const dongle = new PassthroughDevice(stack, 'Dongle', { source: PassthroughSource.usb('046d', 'c52b') });
      const guest = new FakeGuest(stack, 'Ws', { host, devices: [dongle] });
      expect(guest.configs[0]).toMatchObject({ requiresQ35: false, hardwarePassthrough: true });
    });

    test.each([['46d', 'c52b', 'vendorId'], ['046d', 'c52bx', 'productId'], ['0x046d:c52b', 'c52b', 'vendorId']])(
      'throws when the ids are %p:%p', (vendor, product, prop) => {
        expect(() => PassthroughSource.usb(vendor, product))
          .toThrow(new RegExp(`PassthroughSource.usb: '${prop}' must be a USB id of four hex digits`));
      });

    test('throws when given ROM settings', () => {
      const { stack } = hostStack();
      expect(() => new PassthroughDevice(stack, 'Dongle', { source: PassthroughSource.usb('046d', 'c52b'), romBar: true }))
        .toThrow(/'romBar' must be unset for a USB or mediated device/);
    });

    test('throws when the same USB device is given to two guests on the host, naming both', () => {
      // GIVEN
      const { stack, host } = hostStack();
      new FakeGuest(stack, 'A', { host, devices: [new PassthroughDevice(stack, 'KeyA', { source: PassthroughSource.usb('046d', 'c52b') })] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'B', { host, devices: [new PassthroughDevice(stack, 'KeyB', { source: PassthroughSource.usb('0x046d', '0xc52b') })] }))
        .toThrow(/test\/B: 'source' must be a USB device not already used on host test\/Host, got "0x046d:0xc52b". It is already claimed by test\/A/);
    });
  });

  describe('mediated devices', () => {
    test('renders a vfio-pci mdev hostdev with the lower-case UUID', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const vgpu = new PassthroughDevice(stack, 'Vgpu', { source: PassthroughSource.mediatedDevice('4B20D080-1B54-4048-85B3-A6A62D165C01') });
      // WHEN
      new FakeGuest(stack, 'Ws', { host, devices: [vgpu] });
      // THEN
      expect(domainOf(stack, 'Ws').devices.hostdevs).toEqual([{
        managed: true,
        subsys_m_dev: { model: 'vfio-pci', source: { address: { uuid: '4b20d080-1b54-4048-85b3-a6a62d165c01' } } },
      }]);
    });

    test('throws when the UUID is malformed', () => {
      expect(() => PassthroughSource.mediatedDevice('4b20d080-1b54-4048-85b3'))
        .toThrow(/PassthroughSource.mediatedDevice: 'uuid' must be a UUID in 8-4-4-4-12 hex form/);
    });

    test('throws when the same mdev is given to two guests, naming both', () => {
      const { stack, host } = hostStack();
      const vgpu = new PassthroughDevice(stack, 'Vgpu', { source: PassthroughSource.mediatedDevice('4b20d080-1b54-4048-85b3-a6a62d165c01') });
      new FakeGuest(stack, 'A', { host, devices: [vgpu] });
      expect(() => new FakeGuest(stack, 'B', { host, devices: [vgpu] })).toThrow(/test\/B: 'source' must be a mediated device not already used.*test\/A/);
    });
  });

  describe('checks', () => {
    test('throws when a PCI device is given to two guests on the same host, naming both', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU) });
      new FakeGuest(stack, 'A', { host, devices: [gpu] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'B', { host, devices: [gpu] }))
        .toThrow(/test\/B: 'source' must be a PCI device not already used on host test\/Host, got "0000:65:00.0". It is already claimed by test\/A/);
    });

    test('throws when a companion function is already another guest\'s device', () => {
      // GIVEN
      const { stack, host } = hostStack();
      new FakeGuest(stack, 'A', { host, devices: [new PassthroughDevice(stack, 'Audio', { source: PassthroughSource.pci(GPU.withFunction(1)) })] });
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU, { companionFunctions: [1] }) });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'B', { host, devices: [gpu] })).toThrow(/got "0000:65:00.1". It is already claimed by test\/A/);
    });

    test('throws when a VF used by an SR-IOV NIC is also passed through', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const vf = PciAddress.of('0000:3b:02.0');
      new FakeGuest(stack, 'A', { host, devices: [new SriovNic(stack, 'Nic', { vf: VirtualFunction.atAddress(vf) })] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'B', { host, devices: [new PassthroughDevice(stack, 'Raw', { source: PassthroughSource.pci(vf) })] }))
        .toThrow(/It is already claimed by test\/A/);
    });

    test('allows the same address on two different hosts', () => {
      const { stack, host } = hostStack();
      const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
      new FakeGuest(stack, 'A', { host, devices: [new PassthroughDevice(stack, 'GpuA', { source: PassthroughSource.pci(GPU), host })] });
      expect(() => new FakeGuest(stack, 'B', { host: other, devices: [new PassthroughDevice(stack, 'GpuB', { source: PassthroughSource.pci(GPU), host: other })] }))
        .not.toThrow();
    });

    test('throws when the guest is on another host, naming both hosts', () => {
      const { stack, host } = hostStack();
      const other = new LibvirtHost(stack, 'Other', { uri: 'qemu+ssh://root@kvm02/system' });
      const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(GPU), host });
      expect(() => new FakeGuest(stack, 'Ws', { host: other, devices: [gpu] }))
        .toThrow(/test\/Gpu: 'source' must be a guest on host test\/Host, where the device is, got "test\/Ws". test\/Ws is placed on host test\/Other/);
    });

    test('throws when given something other than a PassthroughSource', () => {
      const { stack } = hostStack();
      expect(() => new PassthroughDevice(stack, 'Gpu', { source: GPU as any })).toThrow(/test\/Gpu: 'source' must be a PassthroughSource/);
    });
  });
});
