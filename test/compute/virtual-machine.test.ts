import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { domainOf, FakeDevice, FakeNetwork, lab, resourceOf, secondHost, synthJson } from './util';
import {
  BootDevice, CpuMode, CrashAction, DiskBus, Firmware, Graphics, IpAssignment, MachineType, NestedVirtualization, NicModel, VirtualMachine,
} from '../../src/compute';
import { Hypervisor, Ipv4Cidr, LibvirtHost, MacAddress, NetworkKind, Size, VolumeFormat } from '../../src/core';
import { Domain } from '../../src/imports/libvirt/domain';
import { StoragePool, Volume } from '../../src/storage';

function warnings(stack: TerraformStack): string[] {
  Testing.synth(stack);
  return stack.node.findAll().flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
}

describe('VirtualMachine defaults', () => {
  test('defaults to one vCPU, 1 GiB of memory, KVM and a started guest', () => {
    // GIVEN
    const { stack } = lab();
    // WHEN
    new VirtualMachine(stack, 'Web');
    // THEN
    expect(domainOf(synthJson(stack), 'Web')).toMatchObject({
      name: 'web', type: 'kvm', vcpu: 1, memory: 1, memory_unit: 'GiB', running: true, provider: 'libvirt.kvm01',
    });
  });

  test('leaves current memory, autostart and the crash action to libvirt', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    const d = domainOf(synthJson(stack), 'Web');
    expect(d.current_memory).toBeUndefined();
    expect(d.autostart).toBeUndefined();
    expect(d.on_crash).toBeUndefined();
  });

  test('derives the domain name from the construct id', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'WebServer');
    expect(domainOf(synthJson(stack), 'WebServer').name).toBe('web-server');
  });

  test('defaults to a q35 hvm guest booting from its hard disk with BIOS firmware', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    expect(domainOf(synthJson(stack), 'Web').os).toEqual({
      type: 'hvm', type_arch: 'x86_64', type_machine: 'q35', boot_devices: [{ dev: 'hd' }],
    });
  });

  test('defaults to the host-passthrough CPU mode on KVM', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    expect(domainOf(synthJson(stack), 'Web').cpu).toEqual({ mode: 'host-passthrough' });
  });

  test('turns on ACPI and APIC', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    expect(domainOf(synthJson(stack), 'Web').features).toEqual({ acpi: true, apic: {} });
  });

  test('gives a serial console on a pty (no source, so libvirt picks the pty)', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    expect(domainOf(synthJson(stack), 'Web').devices.consoles).toEqual([{ target: { type: 'serial', port: 0 } }]);
  });

  test('gives the QEMU guest-agent channel', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    expect(domainOf(synthJson(stack), 'Web').devices.channels).toEqual([
      { source: { unix: {} }, target: { virt_io: { name: 'org.qemu.guest_agent.0' } } },
    ]);
  });

  test('gives a virtio RNG from /dev/urandom and a virtio memory balloon', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    const devices = domainOf(synthJson(stack), 'Web').devices;
    expect(devices.rngs).toEqual([{ model: 'virtio', backend: { random: '/dev/urandom' } }]);
    expect(devices.mem_balloon).toEqual({ model: 'virtio' });
  });

  test('has no graphics and no video device unless asked', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    const devices = domainOf(synthJson(stack), 'Web').devices;
    expect(devices.graphics).toBeUndefined();
    expect(devices.videos).toBeUndefined();
  });

  test('exposes the L1 domain as its default child', () => {
    const { stack } = lab();
    const vm = new VirtualMachine(stack, 'Web');
    expect(vm.domain).toBeInstanceOf(Domain);
    expect(vm.node.defaultChild).toBe(vm.domain);
  });

  test('uses the host given explicitly, with its provider', () => {
    const { stack } = lab();
    const { host } = secondHost(stack);
    new VirtualMachine(stack, 'Web', { host });
    expect(domainOf(synthJson(stack), 'Web').provider).toBe('libvirt.kvm02');
  });
});

describe('VirtualMachine CPU and memory', () => {
  test('renders vCPUs and their topology', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { vcpus: 8, cpuTopology: { sockets: 2, threads: 2 } });
    const d = domainOf(synthJson(stack), 'Web');
    expect(d.vcpu).toBe(8);
    expect(d.cpu.topology).toEqual({ sockets: 2, cores: 2, threads: 2 });
  });

  test('throws when the topology does not multiply to the vCPUs', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { vcpus: 6, cpuTopology: { sockets: 2, cores: 2, threads: 2 } }))
      .toThrow(/'cpuTopology' must be a layout of exactly 6 vCPUs/);
  });

  test('throws when vCPUs are zero', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { vcpus: 0 })).toThrow(/Lab\/Web: 'vcpus' must be an integer between 1 and 4096, got 0/);
  });

  test('renders memory in the largest exact unit', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { memory: Size.mebibytes(1536) });
    expect(domainOf(synthJson(stack), 'Web')).toMatchObject({ memory: 1536, memory_unit: 'MiB' });
  });

  test('renders the balloon\'s current memory below the maximum', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { memory: Size.gibibytes(8), currentMemory: Size.gibibytes(4) });
    expect(domainOf(synthJson(stack), 'Web')).toMatchObject({ memory: 8, memory_unit: 'GiB', current_memory: 4, current_memory_unit: 'GiB' });
  });

  test('throws when current memory exceeds memory', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { memory: Size.gibibytes(2), currentMemory: Size.gibibytes(4) }))
      .toThrow(/'currentMemory' must be at most 'memory' \(2GiB\), got 4GiB/);
  });

  test('throws when memory is zero', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { memory: Size.bytes(0) })).toThrow(/'memory' must be a size larger than 0, got 0B/);
  });

  test('throws when memory is not a whole number of KiB', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { memory: Size.bytes(1500) })).toThrow(/'memory' must be a whole number of KiB/);
  });

  test('renders a TCG guest with QEMU\'s default CPU', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { hypervisor: Hypervisor.QEMU });
    const d = domainOf(synthJson(stack), 'Web');
    expect(d.type).toBe('qemu');
    expect(d.cpu).toBeUndefined();
  });

  test('throws when a TCG guest asks for host-passthrough', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { hypervisor: Hypervisor.QEMU, cpuMode: CpuMode.hostPassthrough() }))
      .toThrow(/'cpuMode' must be CpuMode.custom\(...\) on a QEMU \(TCG\) guest, got "host-passthrough". host-passthrough needs KVM/);
  });

  test('renders host-model and custom CPU modes', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'A', { cpuMode: CpuMode.hostModel() });
    new VirtualMachine(stack, 'B', { hypervisor: Hypervisor.QEMU, cpuMode: CpuMode.custom('max') });
    const json = synthJson(stack);
    expect(domainOf(json, 'A').cpu).toEqual({ mode: 'host-model' });
    expect(domainOf(json, 'B').cpu).toEqual({ mode: 'custom', model: 'max' });
  });

  test('throws when a custom CPU model name is malformed', () => {
    expect(() => CpuMode.custom('Sky lake')).toThrow(/CpuMode.custom: 'model' must be a CPU model name/);
  });

  test('requires the virtualization extension for nested virtualization', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { nestedVirtualization: NestedVirtualization.SVM });
    expect(domainOf(synthJson(stack), 'Web').cpu).toEqual({ mode: 'host-passthrough', features: [{ policy: 'require', name: 'svm' }] });
  });

  test('throws when a TCG guest asks for nested virtualization', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { hypervisor: Hypervisor.QEMU, nestedVirtualization: NestedVirtualization.VMX }))
      .toThrow(/'nestedVirtualization' must be left out on a QEMU \(TCG\) guest/);
  });

  test('opts out of KSM with nosharepages', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { ksm: false });
    expect(domainOf(synthJson(stack), 'Web').memory_backing).toEqual({ memory_nosharepages: true });
  });

  test('backs memory with huge pages of the given size', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { memory: Size.gibibytes(4), hugepageSize: Size.mebibytes(2) });
    expect(domainOf(synthJson(stack), 'Web').memory_backing).toEqual({ memory_huge_pages: { hugepages: [{ size: 2, unit: 'MiB' }] } });
  });

  test('throws when memory is not a whole number of huge pages', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { memory: Size.mebibytes(1536), hugepageSize: Size.gibibytes(1) }))
      .toThrow(/'memory' must be a whole number of 1GiB huge pages/);
  });

  test('throws when the host has not reserved enough huge pages', () => {
    const { stack } = lab({ inventory: { hugepages: [{ pageSize: Size.gibibytes(1), count: 6 }] } });
    new VirtualMachine(stack, 'A', { memory: Size.gibibytes(4), hugepageSize: Size.gibibytes(1) });
    expect(() => new VirtualMachine(stack, 'B', { memory: Size.gibibytes(4), hugepageSize: Size.gibibytes(1) }))
      .toThrow(/Lab\/B: 'memory' must be within the 1GiB huge pages of host Lab\/Kvm01 \(6 reserved\), got 4GiB. The guests backed by them would need 8 pages: Lab\/A \(4GiB\), Lab\/B \(4GiB\)/);
  });

  test('throws when the host has no huge pages of that size', () => {
    const { stack } = lab({ inventory: { hugepages: [{ pageSize: Size.mebibytes(2), count: 4096 }] } });
    expect(() => new VirtualMachine(stack, 'A', { memory: Size.gibibytes(4), hugepageSize: Size.gibibytes(1) }))
      .toThrow(/'hugepageSize' must be a page size host Lab\/Kvm01 has reserved \(2MiB\)/);
  });
});

describe('VirtualMachine firmware, machine and lifecycle', () => {
  test('renders another machine type', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'A', { machineType: MachineType.I440FX });
    new VirtualMachine(stack, 'B', { machineType: MachineType.of('pc-q35-8.2') });
    const json = synthJson(stack);
    expect(domainOf(json, 'A').os.type_machine).toBe('pc');
    expect(domainOf(json, 'B').os.type_machine).toBe('pc-q35-8.2');
  });

  test('throws when a machine type name is malformed', () => {
    expect(() => MachineType.of('q35 ')).toThrow(/MachineType.of: 'name' must be a machine type name such as "q35" or "pc-q35-8.2", got "q35 "/);
  });

  test('treats versioned q35 machine types as q35', () => {
    expect(MachineType.of('pc-q35-8.2').isQ35).toBe(true);
    expect(MachineType.I440FX.isQ35).toBe(false);
  });

  test('selects UEFI firmware without secure boot', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { firmware: Firmware.UEFI });
    expect(domainOf(synthJson(stack), 'Web').os).toMatchObject({
      firmware: 'efi', firmware_info: { features: [{ name: 'secure-boot', enabled: 'no' }] },
    });
  });

  test('turns on secure boot with enrolled keys, a secure loader and SMM', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { firmware: Firmware.UEFI, secureBoot: true });
    const d = domainOf(synthJson(stack), 'Web');
    expect(d.os).toMatchObject({
      firmware: 'efi',
      loader_secure: 'yes',
      firmware_info: { features: [{ name: 'enrolled-keys', enabled: 'yes' }, { name: 'secure-boot', enabled: 'yes' }] },
    });
    expect(d.features.smm).toEqual({ state: 'on' });
  });

  test('throws when secure boot is asked for with BIOS firmware', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { secureBoot: true })).toThrow(/'firmware' must be Firmware.UEFI when secureBoot is on, got "bios"/);
  });

  test('throws when secure boot is asked for on i440FX', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { secureBoot: true, firmware: Firmware.UEFI, machineType: MachineType.I440FX }))
      .toThrow(/'machineType' must be MachineType.Q35 when secureBoot is on, got "pc"/);
  });

  test('renders the boot order', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { bootOrder: [BootDevice.NETWORK, BootDevice.HD] });
    expect(domainOf(synthJson(stack), 'Web').os.boot_devices).toEqual([{ dev: 'network' }, { dev: 'hd' }]);
  });

  test('throws when the boot order is empty', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { bootOrder: [] })).toThrow(/'bootOrder' must be a non-empty list/);
  });

  test('sets autostart, the crash action and a defined-only guest when asked', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { autostart: true, running: false, onCrash: CrashAction.COREDUMP_RESTART });
    expect(domainOf(synthJson(stack), 'Web')).toMatchObject({ autostart: true, running: false, on_crash: 'coredump-restart' });
  });

  test('leaves out the guest agent, RNG and balloon when turned off', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { guestAgent: false, rng: false, memoryBalloon: false });
    const devices = domainOf(synthJson(stack), 'Web').devices;
    expect(devices.channels).toBeUndefined();
    expect(devices.rngs).toBeUndefined();
    expect(devices.mem_balloon).toEqual({ model: 'none' });
  });

  test('throws when the domain name is taken on the host', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web');
    expect(() => new VirtualMachine(stack, 'Web2', { name: 'web' }))
      .toThrow(/Lab\/Web2: 'name' must be a domain name not already used on host Lab\/Kvm01, got "web". It is already claimed by Lab\/Web./);
  });

  test('allows the same domain name on two hosts', () => {
    const { stack, host: kvm01 } = lab();
    const { host } = secondHost(stack);
    new VirtualMachine(stack, 'Web', { host: kvm01 });
    expect(() => new VirtualMachine(stack, 'Web2', { name: 'web', host })).not.toThrow();
  });

  test('throws when the member index is negative', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { memberIndex: -1 })).toThrow(/'memberIndex' must be an integer of at least 0, got -1/);
  });

  test('throws when the domain name has invalid characters', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { name: 'web server' })).toThrow(/'name' must be 1-64 characters/);
  });
});

describe('VirtualMachine graphics', () => {
  test('renders VNC on loopback with an automatic port and a virtio video device', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { graphics: Graphics.vnc() });
    const devices = domainOf(synthJson(stack), 'Web').devices;
    expect(devices.graphics).toEqual([{ vnc: { listen: '127.0.0.1', auto_port: true } }]);
    expect(devices.videos).toEqual([{ model: { type: 'virtio' } }]);
  });

  test('renders SPICE on a fixed port', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { graphics: Graphics.spice({ port: 5930 }) });
    expect(domainOf(synthJson(stack), 'Web').devices.graphics).toEqual([{ spice: { listen: '127.0.0.1', auto_port: false, port: 5930 } }]);
  });

  test('warns when the display listens beyond loopback', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { graphics: Graphics.vnc({ listen: '0.0.0.0' }) });
    expect(warnings(stack).join('\n')).toMatch(/VNC listens on 0.0.0.0: anyone who can reach host Lab\/Kvm01 can open this guest's screen/);
  });

  test('does not warn for a loopback display', () => {
    const { stack } = lab();
    new VirtualMachine(stack, 'Web', { graphics: Graphics.vnc() });
    expect(warnings(stack).join('\n')).not.toMatch(/listens on/);
  });

  test('throws on a literal display password', () => {
    expect(() => Graphics.vnc({ password: 'secret' })).toThrow(/Graphics.vnc: 'password' must be a reference to a sensitive Terraform variable, got "\*\*\*"/);
  });

  test('accepts a display password from a sensitive variable', () => {
    const { stack } = lab();
    const pw = new TerraformVariable(stack, 'vncPassword', { type: 'string', sensitive: true });
    new VirtualMachine(stack, 'Web', { graphics: Graphics.vnc({ password: pw.stringValue }) });
    expect(domainOf(synthJson(stack), 'Web').devices.graphics[0].vnc.passwd).toBe('${var.vncPassword}');
  });

  test('throws on a display port below 5900', () => {
    expect(() => Graphics.spice({ port: 80 })).toThrow(/'port' must be an integer between 5900 and 65535, got 80/);
  });
});

describe('VirtualMachine disks', () => {
  test('clones the boot disk from the base image as a resized qcow2 overlay', () => {
    const { stack, pool, image } = lab();
    new VirtualMachine(stack, 'Web', { pool, bootImage: image, bootDiskSize: Size.gibibytes(40) });
    const json = synthJson(stack);
    expect(resourceOf(json, 'libvirt_volume', 'Web_BootDisk')).toMatchObject({
      name: 'web-boot.qcow2',
      capacity: 40,
      capacity_unit: 'GiB',
      target: { format: { type: 'qcow2' } },
      backing_store: { path: '${libvirt_volume.Noble_InPool_F7BBE53F.path}', format: { type: 'qcow2' } },
    });
  });

  test('attaches the boot disk as vda on virtio with the qcow2 driver', () => {
    const { stack, pool, image } = lab();
    new VirtualMachine(stack, 'Web', { pool, bootImage: image });
    expect(domainOf(synthJson(stack), 'Web').devices.disks[0]).toEqual({
      device: 'disk',
      driver: { name: 'qemu', type: 'qcow2' },
      source: { volume: { pool: '${libvirt_pool.Pool_D3F588B8.name}', volume: '${libvirt_volume.Web_BootDisk_93726DB7.name}' } },
      target: { dev: 'vda', bus: 'virtio' },
    });
  });

  test('names data disks vdb, vdc... in declaration order', () => {
    const { stack, pool, image } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool, bootImage: image, disks: [{ name: 'data', size: Size.gibibytes(10) }] });
    const logs = vm.addDisk('logs', { size: Size.gibibytes(5) });
    expect(logs.device).toBe('vdc');
    const disks = domainOf(synthJson(stack), 'Web').devices.disks;
    expect(disks.map((d: any) => d.target.dev)).toEqual(['vda', 'vdb', 'vdc']);
  });

  test('names SATA and SCSI disks sda, sdb... after the cloud-init seed', () => {
    const { stack, pool } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool, cloudInit: {} });
    expect(vm.addDisk('a', { size: Size.gibibytes(1), bus: DiskBus.SATA }).device).toBe('sdb');
    expect(vm.addDisk('b', { size: Size.gibibytes(1), bus: DiskBus.SCSI }).device).toBe('sdc');
    expect(vm.addDisk('c', { size: Size.gibibytes(1) }).device).toBe('vda');
  });

  test('creates a data disk volume named after the guest and the disk', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, disks: [{ name: 'data', size: Size.gibibytes(50), format: VolumeFormat.RAW }] });
    const json = synthJson(stack);
    expect(resourceOf(json, 'libvirt_volume', 'Web_DiskData')).toMatchObject({ name: 'web-data.img', capacity: 50, capacity_unit: 'GiB' });
    expect(domainOf(json, 'Web').devices.disks[0].driver).toEqual({ name: 'qemu', type: 'raw' });
  });

  test('attaches an existing volume', () => {
    const { stack, pool } = lab();
    const shared = new Volume(stack, 'Shared', { pool, capacity: Size.gibibytes(1) });
    new VirtualMachine(stack, 'Web', { disks: [{ name: 'shared', volume: shared, readOnly: true }] });
    expect(domainOf(synthJson(stack), 'Web').devices.disks[0]).toMatchObject({
      source: { volume: { pool: '${libvirt_pool.Pool_D3F588B8.name}', volume: expect.stringMatching(/^\$\{libvirt_volume\.Shared_[0-9A-F]{8}\.name\}$/) } },
      read_only: true,
    });
  });

  test('attaches a CD-ROM on SATA, read-only', () => {
    const { stack, pool } = lab();
    const iso = new Volume(stack, 'Installer', { pool, format: VolumeFormat.ISO, capacity: Size.gibibytes(1) });
    const vm = new VirtualMachine(stack, 'Web');
    const cd = vm.addDisk('installer', { volume: iso, cdrom: true });
    expect(cd.device).toBe('sda');
    expect(domainOf(synthJson(stack), 'Web').devices.disks[0]).toMatchObject({
      device: 'cdrom', read_only: true, driver: { name: 'qemu', type: 'raw' }, target: { dev: 'sda', bus: 'sata' },
    });
  });

  test('throws when a CD-ROM is put on virtio', () => {
    const { stack, pool } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool });
    expect(() => vm.addDisk('cd', { size: Size.gibibytes(1), cdrom: true, bus: DiskBus.VIRTIO }))
      .toThrow(/'disks.cd.bus' must be DiskBus.SATA or DiskBus.SCSI for a CD-ROM/);
  });

  test('throws when a guest with a boot image has no pool', () => {
    const { stack, image } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { bootImage: image }))
      .toThrow(/Lab\/Web: 'pool' must be a storage pool for the boot disk, got undefined/);
  });

  test('throws when a data disk has neither size nor volume', () => {
    const { stack, pool } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool });
    expect(() => vm.addDisk('data', {})).toThrow(/'disks.data.size' must be a Size when no volume is given/);
  });

  test('throws when a data disk has a size of zero', () => {
    const { stack, pool } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool });
    expect(() => vm.addDisk('data', { size: Size.bytes(0) })).toThrow(/'disks.data.size' must be a size larger than 0, got 0B/);
  });

  test('throws when a disk name is used twice', () => {
    const { stack, pool } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool });
    vm.addDisk('data', { size: Size.gibibytes(1) });
    expect(() => vm.addDisk('data', { size: Size.gibibytes(1) })).toThrow(/'addDisk.name' must be a disk name not already used in this guest, got "data"/);
  });

  test('throws when the pool is on another host', () => {
    const { stack, host, image } = lab();
    const other = secondHost(stack);
    expect(() => new VirtualMachine(stack, 'Web', { host, pool: other.pool, bootImage: image }))
      .toThrow(/Lab\/Web: 'pool' must be on the guest's host Lab\/Kvm01, got "Lab\/Kvm02Pool". It is on host Lab\/Kvm02/);
  });

  test('throws when an attached volume is on another host', () => {
    const { stack, host } = lab();
    const other = secondHost(stack);
    const vol = new Volume(stack, 'Far', { pool: other.pool, capacity: Size.gibibytes(1) });
    expect(() => new VirtualMachine(stack, 'Web', { host, disks: [{ name: 'far', volume: vol }] }))
      .toThrow(/'disks.far.volume' must be on the guest's host Lab\/Kvm01, got "Lab\/Far"/);
  });

  test('reuses one uploaded image per pool for several guests', () => {
    const { stack, pool, image } = lab();
    new VirtualMachine(stack, 'A', { pool, bootImage: image });
    new VirtualMachine(stack, 'B', { pool, bootImage: image });
    const volumes = Object.keys(synthJson(stack).resource.libvirt_volume);
    expect(volumes.filter((k) => k.startsWith('Noble_'))).toHaveLength(1);
  });

  test('lists the attached disks in declaration order', () => {
    const { stack, pool, image } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool, bootImage: image, cloudInit: {} });
    vm.addDisk('data', { size: Size.gibibytes(1) });
    expect(vm.attachedDisks.map((d) => [d.name, d.device, d.bus])).toEqual([
      ['boot', 'vda', 'virtio'], ['cloudinit', 'sda', 'sata'], ['data', 'vdb', 'virtio'],
    ]);
  });
});

describe('VirtualMachine NICs', () => {
  test('gives a NIC a virtio model and a MAC derived from its construct path', () => {
    const { stack, net } = lab();
    const vm = new VirtualMachine(stack, 'Web', { nics: [{ network: net }] });
    const expected = MacAddress.derive('Lab/Web/nic/Lab/Net').toString();
    expect(vm.nics[0].mac.toString()).toBe(expected);
    expect(domainOf(synthJson(stack), 'Web').devices.interfaces).toEqual([{
      mac: { address: expected }, model: { type: 'virtio' }, source: { network: { network: '${libvirt_network.Net_DBED6B57.name}' } },
    }]);
  });

  test('keeps the same MAC across synths', () => {
    const macs = [0, 1].map(() => {
      const { stack, net } = lab();
      return new VirtualMachine(stack, 'Web', { nics: [{ network: net }] }).nics[0].mac.toString();
    });
    expect(macs[0]).toBe(macs[1]);
  });

  test('gives two NICs on one network distinct MACs', () => {
    const { stack, net } = lab();
    const vm = new VirtualMachine(stack, 'Web', { nics: [{ network: net }, { network: net, ipAssignment: IpAssignment.dhcp() }] });
    expect(vm.nics[0].mac.toString()).not.toBe(vm.nics[1].mac.toString());
  });

  test('uses a given MAC and NIC model', () => {
    const { stack, net } = lab();
    new VirtualMachine(stack, 'Web', { nics: [{ network: net, mac: MacAddress.of('52:54:00:00:00:01'), model: NicModel.E1000E }] });
    expect(domainOf(synthJson(stack), 'Web').devices.interfaces[0]).toMatchObject({
      mac: { address: '52:54:00:00:00:01' }, model: { type: 'e1000e' },
    });
  });

  test('reserves the next free address on a network with a subnet, as a DHCP lease and DNS record', () => {
    const { stack, net } = lab();
    const vm = new VirtualMachine(stack, 'Web', { nics: [{ network: net }] });
    expect(vm.addresses).toEqual(['10.10.0.2']);
    const network = resourceOf(synthJson(stack), 'libvirt_network', 'Net_');
    expect(network.ips[0].dhcp.hosts).toEqual([{ ip: '10.10.0.2', mac: vm.nics[0].mac.toString(), name: 'web' }]);
    expect(network.dns.host).toEqual([{ ip: '10.10.0.2', hostnames: [{ hostname: 'web' }] }]);
  });

  test('reserves a fixed address', () => {
    const { stack, net } = lab();
    const vm = new VirtualMachine(stack, 'Web', { nics: [{ network: net, ipAssignment: IpAssignment.fixed('10.10.0.50') }] });
    expect(vm.addresses).toEqual(['10.10.0.50']);
  });

  test('throws when a fixed address is outside the network\'s subnet', () => {
    const { stack, net } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { nics: [{ network: net, ipAssignment: IpAssignment.fixed('10.99.0.5') }] }))
      .toThrow(/Lab\/Web: 'nics\[0\].ipAssignment' must be an address inside 10.10.0.0\/24 \(the subnet of network Lab\/Net\), got "10.99.0.5"/);
  });

  test('reserves nothing for a DHCP NIC', () => {
    const { stack, net } = lab();
    const vm = new VirtualMachine(stack, 'Web', { nics: [{ network: net, ipAssignment: IpAssignment.dhcp() }] });
    expect(vm.addresses).toEqual([]);
    expect(resourceOf(synthJson(stack), 'libvirt_network', 'Net_').ips[0].dhcp.hosts).toBeUndefined();
  });

  test('defaults to DHCP on a network without a subnet', () => {
    const { stack, host } = lab();
    const bridge = new FakeNetwork(stack, 'Br0', host);
    const vm = new VirtualMachine(stack, 'Web', { nics: [{ network: bridge }] });
    expect(bridge.requests).toEqual([]);
    expect(vm.addresses).toEqual([]);
  });

  test('throws when an address is asked of a network without a subnet', () => {
    const { stack, host } = lab();
    const bridge = new FakeNetwork(stack, 'Br0', host);
    expect(() => new VirtualMachine(stack, 'Web', { nics: [{ network: bridge, ipAssignment: IpAssignment.allocate() }] }))
      .toThrow(/'nics\[0\].ipAssignment' must be IpAssignment.dhcp\(\) on network Lab\/Br0, got "allocate". It manages no IPv4 subnet/);
  });

  test('hands the network the guest, its MAC and its hostname', () => {
    const { stack, host } = lab();
    const fake = new FakeNetwork(stack, 'Fake', host, NetworkKind.NAT, Ipv4Cidr.of('10.30.0.0/24'));
    const vm = new VirtualMachine(stack, 'Web', { nics: [{ network: fake }], cloudInit: { hostname: 'www' }, pool: new StoragePool(stack, 'P2', { host }) });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].claimant).toBe(vm);
    expect(fake.requests[0].mac.isEqual(vm.nics[0].mac)).toBe(true);
    expect(fake.requests[0].hostname).toBe('www');
  });

  test('keeps the interface the network hands out and adds MAC and model', () => {
    const { stack, host } = lab();
    const bridge = new FakeNetwork(stack, 'Br0', host);
    new VirtualMachine(stack, 'Web', { nics: [{ network: bridge }] });
    expect(domainOf(synthJson(stack), 'Web').devices.interfaces[0]).toMatchObject({ source: { bridge: { bridge: 'br0' } }, model: { type: 'virtio' } });
  });

  test('throws when the network is on another host', () => {
    const { stack, host } = lab();
    const other = secondHost(stack);
    expect(() => new VirtualMachine(stack, 'Web', { host, nics: [{ network: other.net }] }))
      .toThrow(/Lab\/Web: 'nics\[0\].network' must be on the guest's host Lab\/Kvm01, got "Lab\/Kvm02Net". It is on host Lab\/Kvm02/);
  });
});

describe('VirtualMachine devices', () => {
  test('binds a device and merges its interfaces and host devices', () => {
    const { stack } = lab();
    const device = new FakeDevice({
      interfaces: [{ source: { network: { network: 'sriov-pool' } } }],
      hostdevs: [{ managed: true, subsysPci: { source: { address: { domain: 0, bus: 101, slot: 0, function: 0 } } } }],
    });
    const vm = new VirtualMachine(stack, 'Web', { devices: [device] });
    expect(device.guests).toEqual([vm]);
    const devices = domainOf(synthJson(stack), 'Web').devices;
    expect(devices.interfaces[0]).toEqual({
      source: { network: { network: 'sriov-pool' } }, mac: { address: MacAddress.derive('Lab/Web/device/0/0').toString() },
    });
    expect(devices.hostdevs).toEqual([{ managed: true, subsys_pci: { source: { address: { domain: 0, bus: 101, slot: 0, function: 0 } } } }]);
  });

  test('locks memory and hides the KVM signature when a device asks', () => {
    const { stack } = lab();
    const vm = new VirtualMachine(stack, 'Web');
    vm.addDevice(new FakeDevice({ requiresLockedMemory: true, hideKvmSignature: true }));
    const d = domainOf(synthJson(stack), 'Web');
    expect(d.memory_backing).toEqual({ memory_locked: true });
    expect(d.features.kvm).toEqual({ hidden: { state: 'on' } });
  });

  test('throws when a device needs q35 on an i440FX guest', () => {
    const { stack } = lab();
    const vm = new VirtualMachine(stack, 'Web', { machineType: MachineType.I440FX });
    expect(() => vm.addDevice(new FakeDevice({ requiresQ35: true })))
      .toThrow(/Lab\/Web: 'machineType' must be MachineType.Q35 \(a device needs PCIe\), got "pc"/);
  });

  test('warns when hardware is passed through to a TCG guest', () => {
    const { stack } = lab();
    const vm = new VirtualMachine(stack, 'Web', { hypervisor: Hypervisor.QEMU });
    vm.addDevice(new FakeDevice({ hardwarePassthrough: true }));
    expect(warnings(stack).join('\n')).toMatch(/passed through to a QEMU \(TCG\) guest/);
  });

  test('does not warn for passthrough to a KVM guest', () => {
    const { stack } = lab();
    const vm = new VirtualMachine(stack, 'Web');
    vm.addDevice(new FakeDevice({ hardwarePassthrough: true }));
    expect(warnings(stack).join('\n')).not.toMatch(/passed through/);
  });
});

describe('VirtualMachine host capacity', () => {
  test('throws when the guests on a host need more vCPUs than it has threads', () => {
    const { stack } = lab({ inventory: { cpuThreads: 8 } });
    new VirtualMachine(stack, 'A', { vcpus: 6 });
    expect(() => new VirtualMachine(stack, 'B', { vcpus: 4 })).toThrow(
      /Lab\/B: 'vcpus' must be within the vCPU capacity of host Lab\/Kvm01 \(8 threads × overcommit 1 = 8\), got 4. The guests on that host would need 10 vCPUs: Lab\/A \(6\), Lab\/B \(4\)/);
  });

  test('allows vCPU overcommit up to the declared ratio', () => {
    const { stack } = lab({ inventory: { cpuThreads: 8, cpuOvercommitRatio: 2 } });
    new VirtualMachine(stack, 'A', { vcpus: 8 });
    expect(() => new VirtualMachine(stack, 'B', { vcpus: 8 })).not.toThrow();
    expect(() => new VirtualMachine(stack, 'C', { vcpus: 1 })).toThrow(/8 threads × overcommit 2 = 16/);
  });

  test('throws when the guests on a host need more memory than it has', () => {
    const { stack } = lab({ inventory: { memory: Size.gibibytes(16) } });
    new VirtualMachine(stack, 'A', { memory: Size.gibibytes(12) });
    expect(() => new VirtualMachine(stack, 'B', { memory: Size.gibibytes(8) })).toThrow(
      /Lab\/B: 'memory' must be within the memory capacity of host Lab\/Kvm01 \(16GiB × overcommit 1 = 16GiB\), got 8GiB. The guests on that host would need 20GiB: Lab\/A \(12GiB\), Lab\/B \(8GiB\)/);
  });

  test('allows memory overcommit up to the declared ratio', () => {
    const { stack } = lab({ inventory: { memory: Size.gibibytes(16), memoryOvercommitRatio: 1.5 } });
    new VirtualMachine(stack, 'A', { memory: Size.gibibytes(12) });
    expect(() => new VirtualMachine(stack, 'B', { memory: Size.gibibytes(12) })).not.toThrow();
  });

  test('counts guests per host', () => {
    const { stack } = lab({ inventory: { cpuThreads: 4 } });
    const other = secondHost(stack, 'Kvm02', { inventory: { cpuThreads: 4 } });
    new VirtualMachine(stack, 'A', { vcpus: 4, host: stack.node.findChild('Kvm01') as LibvirtHost });
    expect(() => new VirtualMachine(stack, 'B', { vcpus: 4, host: other.host })).not.toThrow();
  });

  test('skips the checks when the host declares no inventory', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'A', { vcpus: 512, memory: Size.tebibytes(2) })).not.toThrow();
  });
});

describe('LibvirtHost resolution', () => {
  test('throws when the stack has several hosts and none is named', () => {
    const { stack } = lab();
    new LibvirtHost(stack, 'Kvm09');
    expect(() => new VirtualMachine(stack, 'Web')).toThrow(/'host' must be one of the stack's hosts/);
  });
});

describe('VirtualMachine shape', () => {
  test('synthesizes a full guest as recorded', () => {
    const { stack, pool, net, image } = lab();
    const vm = new VirtualMachine(stack, 'Web', {
      pool,
      bootImage: image,
      bootDiskSize: Size.gibibytes(20),
      vcpus: 2,
      memory: Size.gibibytes(4),
      currentMemory: Size.gibibytes(2),
      firmware: Firmware.UEFI,
      nics: [{ network: net }],
      cloudInit: { users: [{ name: 'ops', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@lab'] }], packages: ['nginx'] },
    });
    vm.addDisk('data', { size: Size.gibibytes(50) });
    // Only this area's resources: pools, volumes and networks have their own snapshots.
    const json = synthJson(stack);
    expect({ domains: json.resource.libvirt_domain, seeds: json.resource.libvirt_cloudinit_disk, outputs: json.output }).toMatchSnapshot();
  });
});
