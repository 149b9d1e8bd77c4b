import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Errors, LibvirtHost, PciAddress, Size } from '../../src/core';
import { newStack, synthJson } from '../util';

describe('LibvirtHost', () => {
  test('defaults to qemu:///system with an alias derived from the id', () => {
    // GIVEN
    const { stack } = newStack();
    // WHEN
    new LibvirtHost(stack, 'Kvm01');
    // THEN
    expect(synthJson(stack).provider.libvirt).toEqual([{ alias: 'kvm01', uri: 'qemu:///system' }]);
  });

  test('declares the provider as a version range, not a pin', () => {
    const { stack } = newStack();
    new LibvirtHost(stack, 'Host');
    expect(synthJson(stack).terraform.required_providers.libvirt).toEqual({
      source: 'registry.terraform.io/dmacvicar/libvirt',
      version: '>= 0.9.7, < 0.10.0',
    });
  });

  test('creates one aliased provider per host', () => {
    const { stack } = newStack();
    new LibvirtHost(stack, 'KvmA', { uri: 'qemu+ssh://root@kvm-a.lab/system?keyfile=~/.ssh/id_ed25519' });
    new LibvirtHost(stack, 'KvmB', { uri: 'qemu+tls://kvm-b.lab/system' });
    expect(synthJson(stack).provider.libvirt).toEqual([
      { alias: 'kvm_a', uri: 'qemu+ssh://root@kvm-a.lab/system?keyfile=~/.ssh/id_ed25519' },
      { alias: 'kvm_b', uri: 'qemu+tls://kvm-b.lab/system' },
    ]);
  });

  test('is found by LibvirtHost.of when it is the only host in the stack', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host');
    const user = new Construct(stack, 'User');
    expect(LibvirtHost.of(user)).toBe(host);
  });

  test('returns the given host from LibvirtHost.of even with several hosts', () => {
    const { stack } = newStack();
    new LibvirtHost(stack, 'A');
    const b = new LibvirtHost(stack, 'B');
    expect(LibvirtHost.of(new Construct(stack, 'User'), b)).toBe(b);
  });

  test('throws from LibvirtHost.of when the stack has no host', () => {
    const { stack } = newStack();
    expect(() => LibvirtHost.of(new Construct(stack, 'User'))).toThrow(/test\/User: 'host' must be a LibvirtHost, got undefined\. The stack has no LibvirtHost/);
  });

  test('throws from LibvirtHost.of when the stack has several hosts and none was given', () => {
    const { stack } = newStack();
    new LibvirtHost(stack, 'A');
    new LibvirtHost(stack, 'B');
    expect(() => LibvirtHost.of(new Construct(stack, 'User'))).toThrow(/'host' must be one of the stack's hosts \(test\/A, test\/B\)/);
  });

  test('does not see hosts of another stack', () => {
    const { app, stack } = newStack();
    new LibvirtHost(stack, 'Host');
    const other = new TerraformStack(app, 'other');
    expect(() => LibvirtHost.of(new Construct(other, 'User'))).toThrow(/The stack has no LibvirtHost/);
  });

  test('rejects a URI that is not a libvirt URI', () => {
    const { stack } = newStack();
    expect(() => new LibvirtHost(stack, 'Host', { uri: 'http://kvm01/system' })).toThrow(/test\/Host: 'uri' must be a libvirt URI.*got "http:\/\/kvm01\/system"/);
  });

  test('rejects a password in the URI without echoing it', () => {
    const { stack } = newStack();
    let message = '';
    try {
      new LibvirtHost(stack, 'Host', { uri: 'qemu+ssh://root:hunter2@kvm01/system' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/'uri' must be a URI without a password, got "qemu\+ssh:\/\/root:\*\*\*@kvm01\/system"/);
    expect(message).not.toContain('hunter2');
  });

  test('rejects two hosts with the same alias', () => {
    const { stack } = newStack();
    new LibvirtHost(stack, 'KvmA');
    expect(() => new LibvirtHost(stack, 'kvm-a')).toThrow(/'alias' must be unique in the stack, got "kvm_a"\. test\/KvmA already uses it/);
  });

  test('rejects an alias Terraform cannot use', () => {
    const { stack } = newStack();
    expect(() => new LibvirtHost(stack, 'Host', { alias: 'Kvm-01' })).toThrow(/'alias' must be lower-case letters, digits and underscores/);
  });

  test('looks up a PCI device from its inventory by name', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host', {
      inventory: { pciDevices: [{ name: 'gpu0', address: PciAddress.of('0000:65:00.0'), companionFunctions: [1] }] },
    });
    expect(host.pciDevice('gpu0').address.toString()).toBe('0000:65:00.0');
  });

  test('throws for an unknown PCI device name and lists the known ones', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host', { inventory: { pciDevices: [{ name: 'gpu0', address: PciAddress.of('65:00.0') }] } });
    expect(() => host.pciDevice('gpu1')).toThrow(/'pciDevice' must be the name of a PCI device in the inventory \("gpu0"\), got "gpu1"/);
  });

  test('rejects a negative vCPU inventory', () => {
    const { stack } = newStack();
    expect(() => new LibvirtHost(stack, 'Host', { inventory: { cpuThreads: -4 } })).toThrow(/'inventory.cpuThreads' must be a whole number that is 0 or more, got -4/);
  });

  test('rejects an overcommit ratio below 1', () => {
    const { stack } = newStack();
    expect(() => new LibvirtHost(stack, 'Host', { inventory: { memory: Size.gibibytes(64), memoryOvercommitRatio: 0.5 } }))
      .toThrow(/'inventory.memoryOvercommitRatio' must be a number of at least 1/);
  });

  test('rejects more declared VF addresses than VFs', () => {
    const { stack } = newStack();
    expect(() => new LibvirtHost(stack, 'Host', {
      inventory: { sriovPhysicalFunctions: [{ name: 'ens1f0', vfCount: 1, vfAddresses: [PciAddress.of('3b:02.0'), PciAddress.of('3b:02.1')] }] },
    })).toThrow(/'inventory.sriovPhysicalFunctions\[0\].vfAddresses' must be at most vfCount \(1\) addresses/);
  });

  test('rejects a second claim of the same key and names both claimants', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host');
    host.claim('network name', 'lab', new Construct(stack, 'First'), 'name');
    expect(() => host.claim('network name', 'lab', new Construct(stack, 'Second'), 'name'))
      .toThrow(/test\/Second: 'name' must be a network name not already used on host test\/Host, got "lab"\. It is already claimed by test\/First/);
  });

  test('allows the same key for different kinds of claim', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host');
    host.claim('network name', 'lab', new Construct(stack, 'Net'), 'name');
    expect(() => host.claim('pool name', 'lab', new Construct(stack, 'Pool'), 'name')).not.toThrow();
  });

  test('throws when more VFs are drawn than the inventory declares', () => {
    const { stack } = newStack();
    const host = new LibvirtHost(stack, 'Host', { inventory: { sriovPhysicalFunctions: [{ name: 'ens1f0', vfCount: 2 }] } });
    host.drawVirtualFunction('ens1f0', new Construct(stack, 'Vm1'), 'nics');
    host.drawVirtualFunction('ens1f0', new Construct(stack, 'Vm2'), 'nics');
    expect(() => host.drawVirtualFunction('ens1f0', new Construct(stack, 'Vm3'), 'nics'))
      .toThrow(/test\/Vm3: 'nics' must be a physical function with a free VF \(host test\/Host declares 2 on ens1f0\).*claimants: test\/Vm1, test\/Vm2, test\/Vm3/);
  });

  test('marks its errors as validation errors', () => {
    const { stack } = newStack();
    try {
      new LibvirtHost(stack, 'Host', { uri: 'nope' });
      fail('expected an error');
    } catch (e) {
      expect(Errors.isValidationError(e)).toBe(true);
      expect(Errors.isValidationError(new Error('other'))).toBe(false);
    }
  });
});
