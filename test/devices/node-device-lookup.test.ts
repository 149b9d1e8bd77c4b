import { Testing } from 'cdktf';
import { FakeGuest, domainOf, hostStack, sriovInventory } from './util';
import { PciAddress } from '../../src/core';
import { NodeDeviceLookup, PassthroughDevice, PassthroughSource, SriovNic, VirtualFunction } from '../../src/devices';
import { DataLibvirtNodeDeviceInfo } from '../../src/imports/libvirt/data-libvirt-node-device-info';
import { DataLibvirtNodeDevices } from '../../src/imports/libvirt/data-libvirt-node-devices';

describe('NodeDeviceLookup', () => {
  describe('pciByName', () => {
    test('reads the device with libvirt_node_device_info on the host\'s provider', () => {
      // GIVEN
      const { stack } = hostStack();
      // WHEN
      NodeDeviceLookup.pciByName(stack, 'Gpu', 'pci_0000_65_00_0');
      // THEN
      expect(Testing.synth(stack)).toHaveDataSourceWithProperties(DataLibvirtNodeDeviceInfo, {
        name: 'pci_0000_65_00_0', provider: 'libvirt.host',
      });
    });

    test('knows the address at synth from a literal name', () => {
      const { stack } = hostStack();
      const lookup = NodeDeviceLookup.pciByName(stack, 'Gpu', 'pci_0000_65_00_0');
      expect(lookup.knownAddress?.toString()).toBe('0000:65:00.0');
      expect(lookup.address).toEqual({ domain: 0, bus: 101, slot: 0, function: 0 });
    });

    test('throws when the name is not a PCI node-device name', () => {
      const { stack } = hostStack();
      expect(() => NodeDeviceLookup.pciByName(stack, 'Gpu', '0000:65:00.0'))
        .toThrow(/test\/Gpu: 'name' must be a PCI node-device name pci_DDDD_BB_SS_F/);
    });

    test('is checked for double use like a literal address', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const lookup = NodeDeviceLookup.pciByName(stack, 'Gpu', 'pci_0000_65_00_0');
      new FakeGuest(stack, 'A', { host, devices: [new PassthroughDevice(stack, 'Raw', { source: PassthroughSource.pci(PciAddress.of('65:00.0')) })] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'B', { host, devices: [new PassthroughDevice(stack, 'Looked', { source: PassthroughSource.fromLookup(lookup) })] }))
        .toThrow(/test\/B: 'source' must be a PCI device not already used on host test\/Host, got "0000:65:00.0"/);
    });
  });

  describe('vfOfInterface', () => {
    test('lists the host\'s net devices', () => {
      const { stack } = hostStack();
      NodeDeviceLookup.vfOfInterface(stack, 'Vf3', 'ens1f0v3');
      expect(Testing.synth(stack)).toHaveDataSourceWithProperties(DataLibvirtNodeDevices, { capability: 'net' });
    });

    test('picks the net device named after the interface, with a precondition that exactly one matches', () => {
      // GIVEN
      const { stack } = hostStack();
      // WHEN
      NodeDeviceLookup.vfOfInterface(stack, 'Vf3', 'ens1f0v3');
      // THEN
      const info = JSON.parse(Testing.synth(stack)).data.libvirt_node_device_info;
      const net = Object.values(info).find((d: any) => d.lifecycle) as any;
      expect(net.name).toContain('regexall("net_ens1f0v3_[0-9a-f]{2}(?:_[0-9a-f]{2}){5}"');
      expect(net.lifecycle.precondition[0].error_message).toMatch(/Expected exactly one net device for interface ens1f0v3/);
    });

    test('reads the PCI address of the interface\'s parent device into the hostdev interface', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const lookup = NodeDeviceLookup.vfOfInterface(stack, 'Vf3', 'ens1f0v3');
      // WHEN
      new FakeGuest(stack, 'Router', { host, devices: [new SriovNic(stack, 'Nic', { vf: VirtualFunction.fromLookup(lookup), vlan: 10 })] });
      // THEN
      const address = domainOf(stack, 'Router').devices.interfaces[0].source.hostdev.pci.address;
      expect(address.bus).toMatch(/^\$\{data\.libvirt_node_device_info\.[A-Za-z0-9_]+\.capability\.bus\}$/);
      expect(address.function).toMatch(/capability\.function/);
    });

    test('counts the VF against the PF it is told about', () => {
      const { stack, host } = hostStack(sriovInventory(2, false));
      const lookup = NodeDeviceLookup.vfOfInterface(stack, 'Vf3', 'ens1f0v3', { physicalFunction: 'ens1f0' });
      new FakeGuest(stack, 'Router', { host, devices: [new SriovNic(stack, 'Nic', { vf: VirtualFunction.fromLookup(lookup) })] });
      expect(host.virtualFunctionsDrawn('ens1f0')).toBe(1);
    });

    test('throws when the same interface is given to two guests, naming both', () => {
      // GIVEN
      const { stack, host } = hostStack();
      const lookup = NodeDeviceLookup.vfOfInterface(stack, 'Vf3', 'ens1f0v3');
      const nic = new SriovNic(stack, 'Nic', { vf: VirtualFunction.fromLookup(lookup) });
      new FakeGuest(stack, 'A', { host, devices: [nic] });
      // WHEN / THEN
      expect(() => new FakeGuest(stack, 'B', { host, devices: [nic] }))
        .toThrow(/test\/B: 'vf' must be a VF interface name not already used on host test\/Host, got "ens1f0v3". It is already claimed by test\/A/);
    });

    test('throws when the interface name is not a Linux interface name', () => {
      const { stack } = hostStack();
      expect(() => NodeDeviceLookup.vfOfInterface(stack, 'Vf', 'a-much-too-long-name0'))
        .toThrow(/test\/Vf: 'interfaceName' must be a host network interface name of 1-15 characters/);
    });

    test('throws when the PF is not in the host inventory', () => {
      const { stack } = hostStack(sriovInventory(2));
      expect(() => NodeDeviceLookup.vfOfInterface(stack, 'Vf', 'ens1f0v3', { physicalFunction: 'ens2f0' }))
        .toThrow(/'physicalFunction' must be the name of an SR-IOV physical function in the inventory/);
    });
  });
});
