import { synthExample } from '../util';

/** The only stack of an example, parsed. */
function synthOnlyStack(name: string): any {
  const stacks = Object.values(synthExample(name));
  expect(stacks).toHaveLength(1);
  return JSON.parse(stacks[0]);
}

/** The example's domains by libvirt name. */
function domainsByName(stack: any): Record<string, any> {
  return Object.fromEntries(Object.values(stack.resource.libvirt_domain).map((d: any) => [d.name, d]));
}

describe('device examples', () => {
  describe('sriov-nfv', () => {
    let stack: any;
    beforeAll(() => {
      stack = synthOnlyStack('sriov-nfv');
    });

    test('gives the router a VF by address on VLAN 100 and a pooled VF on VLAN 200', () => {
      const router = domainsByName(stack).router;
      const vfs = router.devices.interfaces.filter((i: any) => i.vlan);
      expect(vfs).toEqual([
        expect.objectContaining({
          managed: true,
          driver: { name: 'vfio' },
          source: { hostdev: { pci: { address: { domain: 0, bus: 59, slot: 2, function: 0 } } } },
          vlan: { tags: [{ id: 100 }] },
        }),
        expect.objectContaining({
          source: { network: { network: expect.stringMatching(/^\$\{libvirt_network\.LanPool_[A-Z0-9]+\.name\}$/) } },
          vlan: { tags: [{ id: 200 }] },
        }),
      ]);
      expect(router.os.type_machine).toBe('q35');
      expect(router.memory_backing).toEqual(expect.objectContaining({ memory_locked: true }));
    });

    test('defines the LAN pool as a hostdev network over ens1f1', () => {
      const pools = Object.values(stack.resource.libvirt_network).filter((n: any) => n.forward?.mode === 'hostdev');
      expect(pools).toEqual([expect.objectContaining({
        forward: expect.objectContaining({ pfs: [{ dev: 'ens1f1' }], driver: { name: 'vfio' }, managed: true }),
      })]);
    });

    test('gives each subscriber its own MAC on the pooled VLAN', () => {
      const domains = domainsByName(stack);
      const macs = ['subscribers-1', 'subscribers-2'].map((n) => {
        const lan = domains[n].devices.interfaces.find((i: any) => i.vlan);
        expect(lan.vlan).toEqual({ tags: [{ id: 200 }] });
        return lan.mac.address;
      });
      expect(new Set(macs).size).toBe(2);
    });
  });

  describe('gpu-workstation', () => {
    let stack: any;
    beforeAll(() => {
      stack = synthOnlyStack('gpu-workstation');
    });

    test('passes both GPU functions through with vfio', () => {
      const ws = domainsByName(stack).workstation;
      const pci = ws.devices.hostdevs.filter((h: any) => h.subsys_pci).map((h: any) => h.subsys_pci);
      expect(pci).toEqual([
        { driver: { name: 'vfio' }, source: { address: { domain: 0, bus: 101, slot: 0, function: 0 } } },
        { driver: { name: 'vfio' }, source: { address: { domain: 0, bus: 101, slot: 0, function: 1 } } },
      ]);
    });

    test('passes the keyboard and mouse through by USB id', () => {
      const ws = domainsByName(stack).workstation;
      const usb = ws.devices.hostdevs.filter((h: any) => h.subsys_usb).map((h: any) => h.subsys_usb.source);
      expect(usb).toEqual([
        { vendor: { id: '0x046d' }, product: { id: '0xc31c' } },
        { vendor: { id: '0x046d' }, product: { id: '0xc077' } },
      ]);
    });

    test('hides the KVM signature for the NVIDIA driver and uses q35', () => {
      const ws = domainsByName(stack).workstation;
      expect(ws.features.kvm).toEqual({ hidden: { state: 'on' } });
      expect(ws.os.type_machine).toBe('q35');
    });
  });
});
