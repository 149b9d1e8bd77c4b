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
});
