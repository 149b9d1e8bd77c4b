import { Testing } from 'cdktf';
import { FakeGuest, hostStack, sriovInventory } from './util';
import { VirtualMachine, VmCluster } from '../../src/compute';
import { Hypervisor, PciAddress } from '../../src/core';
import { PassthroughDevice, PassthroughSource, SriovNic, VirtualFunction } from '../../src/devices';
import { SriovNetwork } from '../../src/network';

/** The synthesized `libvirt_domain` resources, by libvirt name. */
function domains(stack: any): Record<string, any> {
  const all = JSON.parse(Testing.synth(stack)).resource.libvirt_domain;
  return Object.fromEntries(Object.values(all).map((d: any) => [d.name, d]));
}

describe('devices on VirtualMachine and VmCluster', () => {
  test('a VirtualMachine gets the VF interface and the hostdevs', () => {
    // GIVEN
    const { stack } = hostStack();
    const nic = new SriovNic(stack, 'Wan', { vf: VirtualFunction.atAddress(PciAddress.of('0000:3b:02.3')), vlan: 100 });
    const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(PciAddress.of('0000:65:00.0')) });
    // WHEN
    new VirtualMachine(stack, 'Ws', { devices: [nic, gpu] });
    // THEN
    const ws = domains(stack).ws;
    expect(ws.devices.interfaces).toContainEqual(expect.objectContaining({
      managed: true, vlan: { tags: [{ id: 100 }] }, source: { hostdev: { pci: { address: { domain: 0, bus: 59, slot: 2, function: 3 } } } },
    }));
    expect(ws.devices.hostdevs).toEqual([expect.objectContaining({ subsys_pci: expect.objectContaining({ driver: { name: 'vfio' } }) })]);
    expect(ws.os.type_machine).toBe('q35');
  });

  test('a VirtualMachine hides the KVM signature and locks memory when its device asks', () => {
    // GIVEN
    const { stack } = hostStack();
    const gpu = new PassthroughDevice(stack, 'Gpu', {
      source: PassthroughSource.pci(PciAddress.of('0000:65:00.0')), hideKvmSignature: true, lockMemory: true,
    });
    // WHEN
    new VirtualMachine(stack, 'Ws', { devices: [gpu] });
    // THEN
    const ws = domains(stack).ws;
    expect(ws.features.kvm).toEqual({ hidden: { state: 'on' } });
    expect(ws.memory_backing).toEqual(expect.objectContaining({ memory_locked: true }));
  });

  test('a QEMU (TCG) guest with a passthrough device gets a warning', () => {
    // GIVEN
    const { stack } = hostStack();
    const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.usb('046d', 'c52b') });
    // WHEN
    const vm = new VirtualMachine(stack, 'Ws', { hypervisor: Hypervisor.QEMU, devices: [gpu] });
    // THEN
    const warnings = vm.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings.some((w) => /passed through to a QEMU \(TCG\) guest/.test(w))).toBe(true);
  });

  test('each VmCluster node draws its own VF from an SR-IOV pool network', () => {
    // GIVEN
    const { stack, host } = hostStack(sriovInventory(4));
    const pool = new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0' });
    const nic = new SriovNic(stack, 'Data', { vf: VirtualFunction.fromPool(pool), vlan: 20 });
    // WHEN
    new VmCluster(stack, 'Workers', { count: 3, devices: [nic] });
    // THEN
    const all = domains(stack);
    const ifaces = Object.keys(all).sort().map((n) => all[n].devices.interfaces[0]);
    expect(ifaces).toHaveLength(3);
    expect(new Set(ifaces.map((i) => i.source.network.network)).size).toBe(1);
    expect(ifaces[0].source.network.network).toMatch(/^\$\{libvirt_network\.[A-Za-z0-9_]+\.name\}$/);
    expect(new Set(ifaces.map((i) => i.mac.address)).size).toBe(3);
    expect(ifaces.every((i) => i.vlan.tags[0].id === 20)).toBe(true);
    expect(host.virtualFunctionsDrawn('ens1f0')).toBe(3);
  });

  test('a VmCluster larger than the PF\'s VF count fails at synth', () => {
    // GIVEN
    const { stack } = hostStack(sriovInventory(2));
    const pool = new SriovNetwork(stack, 'Fast', { physicalFunction: 'ens1f0' });
    const nic = new SriovNic(stack, 'Data', { vf: VirtualFunction.fromPool(pool) });
    // WHEN / THEN
    expect(() => new VmCluster(stack, 'Workers', { count: 3, devices: [nic] }))
      .toThrow(/'network' must be a physical function with a free VF \(host test\/Host declares 2 on ens1f0\)/);
  });

  test('a VmCluster with one passthrough device fails at synth, naming both nodes', () => {
    const { stack } = hostStack();
    const gpu = new PassthroughDevice(stack, 'Gpu', { source: PassthroughSource.pci(PciAddress.of('0000:65:00.0')) });
    expect(() => new VmCluster(stack, 'Workers', { count: 2, devices: [gpu] }))
      .toThrow(/test\/Workers\/Node2: 'source' must be a PCI device not already used on host test\/Host.*already claimed by test\/Workers\/Node1/);
  });

  test('an explicit VF address list of an SR-IOV network cannot also be given to a guest', () => {
    // GIVEN
    const { stack, host } = hostStack();
    const vf = PciAddress.of('0000:3b:02.0');
    new SriovNetwork(stack, 'Fast', { virtualFunctions: [vf] });
    // WHEN / THEN
    expect(() => new FakeGuest(stack, 'A', { host, devices: [new SriovNic(stack, 'Nic', { vf: VirtualFunction.atAddress(vf) })] }))
      .toThrow(/already claimed by test\/Fast/);
  });
});
