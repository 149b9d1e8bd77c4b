import { Testing } from 'cdktf';
import { LibvirtHost, libvirt } from '../src';
import { newStack, synthJson } from './util';

describe('libvirt L1 namespace', () => {
  test('exposes the generated resources from the package root', () => {
    expect(typeof libvirt.domain.Domain).toBe('function');
    expect(typeof libvirt.network.Network).toBe('function');
    expect(typeof libvirt.pool.Pool).toBe('function');
    expect(typeof libvirt.volume.Volume).toBe('function');
    expect(typeof libvirt.cloudinitDisk.CloudinitDisk).toBe('function');
    expect(typeof libvirt.dataLibvirtNodeDeviceInfo.DataLibvirtNodeDeviceInfo).toBe('function');
  });

  test('renders nested attributes as JSON objects with snake_case keys', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host');
    new libvirt.domain.Domain(stack, 'Vm', {
      provider: host.provider,
      name: 'vm',
      type: 'qemu',
      os: { typeMachine: 'q35', bootDevices: [{ dev: 'hd' }] },
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(libvirt.domain.Domain, {
      provider: 'libvirt.host',
      os: { type_machine: 'q35', boot_devices: [{ dev: 'hd' }] },
    });
  });

  test('lets L1 resources use a host provider alongside constructs', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host');
    new libvirt.pool.Pool(stack, 'Pool', { provider: host.provider, name: 'p', type: 'dir', target: { path: '/var/lib/libvirt/images/p' } });
    expect(synthJson(stack).resource.libvirt_pool.Pool.provider).toBe('libvirt.host');
  });

  describe('values given before a nested attribute object is asked for', () => {
    function domain(stack: any, id: string, config: Partial<libvirt.domain.DomainConfig> = {}): libvirt.domain.Domain {
      return new libvirt.domain.Domain(stack, id, { name: id.toLowerCase(), type: 'qemu', ...config });
    }
    function synthesized(stack: any, id: string): any {
      return synthJson(stack).resource.libvirt_domain[id];
    }

    test('are written as the object would write them', () => {
      const { stack } = newStack();
      domain(stack, 'Kept', { cpu: { mode: 'host-model', topology: { sockets: 1, cores: 2, threads: 1 } } });
      const made = domain(stack, 'Made');
      void made.cpu; // creates the object first
      made.putCpu({ mode: 'host-model', topology: { sockets: 1, cores: 2, threads: 1 } });
      expect(synthesized(stack, 'Kept').cpu).toEqual({ mode: 'host-model', topology: { sockets: 1, cores: 2, threads: 1 } });
      expect(synthesized(stack, 'Kept').cpu).toEqual(synthesized(stack, 'Made').cpu);
    });

    test('leave out a block whose attributes are all undefined, at any depth', () => {
      const { stack } = newStack();
      domain(stack, 'Kept', { cpu: { mode: undefined, topology: { sockets: undefined } } });
      const made = domain(stack, 'Made');
      void made.cpu;
      made.putCpu({ mode: undefined, topology: { sockets: undefined } });
      expect(synthesized(stack, 'Kept').cpu).toBeUndefined();
      expect(synthesized(stack, 'Made').cpu).toBeUndefined();
    });

    test('keep an empty block as an empty object', () => {
      const { stack } = newStack();
      domain(stack, 'Kept', { features: { apic: {} } });
      expect(synthesized(stack, 'Kept').features).toEqual({ apic: {} });
    });

    test('are handed to the object when a program asks for it', () => {
      const { stack } = newStack();
      const vm = domain(stack, 'Vm', { os: { type: 'hvm', typeMachine: 'q35' } });
      expect(vm.os.typeMachineInput).toBe('q35');
      vm.os.typeMachine = 'pc';
      expect(synthesized(stack, 'Vm').os).toEqual({ type: 'hvm', type_machine: 'pc' });
    });

    test('are replaced by a later put and cleared by a reset', () => {
      const { stack } = newStack();
      const vm = domain(stack, 'Vm', { os: { type: 'hvm', typeMachine: 'q35' }, cpu: { mode: 'host-model' } });
      vm.putOs({ type: 'hvm' });
      vm.resetCpu();
      expect(vm.osInput).toEqual({ type: 'hvm' });
      expect(synthesized(stack, 'Vm').os).toEqual({ type: 'hvm' });
      expect(synthesized(stack, 'Vm').cpu).toBeUndefined();
    });
  });
});
