import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** `//` metadata as cdktf writes it. */
export function meta(p: string) {
  return { '//': { metadata: { path: p, uniqueId: p.split('/').pop() } } };
}

/** A stack JSON with the given resources (`{ libvirt_domain: { Vm: {...} } }`). */
export function stackOf(resource: Record<string, Record<string, any>>): any {
  return { '//': { metadata: { stackName: 'lab' } }, 'resource': resource };
}

/** A lab with everything the constructs emit: pools, volumes (backing store, cloud-init), networks and a busy domain. */
export function richStack(): any {
  return stackOf({
    libvirt_pool: {
      Images: { ...meta('lab/Images/Resource'), name: 'images', type: 'dir', target: { path: '/var/lib/libvirt/images/lab/', permissions: { mode: '0711', owner: '0', group: '0' } }, create: { build: true, start: true, autostart: true } },
      Lvm: { ...meta('lab/Lvm'), name: 'vg0', type: 'logical', source: { name: 'vg0', device: [{ path: '/dev/sdb' }], format: { type: 'lvm2' } }, target: { path: '/dev/vg0' } },
      Nfs: { ...meta('lab/Nfs'), name: 'nfs', type: 'netfs', source: { host: [{ name: 'nas.example.com' }], dir: { path: '/export/vms' }, format: { type: 'nfs' } }, target: { path: '/mnt/nfs' } },
      Iscsi: { ...meta('lab/Iscsi'), name: 'iscsi', type: 'iscsi', source: { host: [{ name: 'san.example.com', port: '3260' }], device: [{ path: 'iqn.2013-06.com.example:iscsi-pool' }], initiator: { iqn: { name: 'iqn.2013-06.com.example:host1' } } }, target: { path: '/dev/disk/by-path' } },
      Ceph: { ...meta('lab/Ceph'), name: 'rbd', type: 'rbd', source: { name: 'rbdpool', host: [{ name: 'mon1.example.com', port: '6789' }], auth: { type: 'ceph', username: 'libvirt', secret: { uuid: '2ec115d7-3a88-3ceb-bc12-0ac909a6fd87' } } } },
    },
    libvirt_volume: {
      Base: { ...meta('lab/Base'), name: 'noble.qcow2', pool: '${libvirt_pool.Images.name}', target: { format: { type: 'qcow2' } }, create: { content: { url: 'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img' } } },
      Root: {
        ...meta('lab/Vm/Root'),
        name: 'vm1-root.qcow2',
        pool: '${libvirt_pool.Images.name}',
        capacity: 20,
        capacity_unit: 'GiB',
        target: { format: { type: 'qcow2' } },
        backing_store: { path: '${libvirt_volume.Base.path}', format: { type: 'qcow2' } },
      },
      Seed: { ...meta('lab/Vm/Seed'), name: 'vm1-seed.iso', pool: '${libvirt_pool.Images.name}', create: { content: { url: '${libvirt_cloudinit_disk.Seed.path}' } } },
      Remote: { ...meta('lab/Remote'), name: 'other.qcow2', pool: '${var.pool}', capacity: 1073741824 },
    },
    libvirt_cloudinit_disk: { Seed: { ...meta('lab/Vm/CloudInit'), name: 'vm1-seed', user_data: '#cloud-config\n', meta_data: 'instance-id: vm1\n' } },
    libvirt_network: {
      Isolated: { ...meta('lab/Isolated'), name: 'iso', autostart: true, ips: [{ address: '10.10.0.1', prefix: 24 }] },
      Nat: {
        ...meta('lab/Nat/Resource'),
        name: 'nat',
        forward: { mode: 'nat', nat: { ports: [{ start: 1024, end: 65535 }] } },
        bridge: { name: 'virbr10', stp: 'on', delay: '0' },
        domain: { name: 'lab.internal', local_only: 'yes' },
        dns: { enable: 'yes', forwarders: [{ addr: '1.1.1.1' }], host: [{ ip: '10.20.0.10', hostnames: [{ hostname: 'vm1' }, { hostname: 'vm1.lab.internal' }] }] },
        ips: [
          { address: '10.20.0.1', prefix: 24, family: 'ipv4', dhcp: { hosts: [{ mac: '52:54:00:aa:bb:01', name: 'vm1', ip: '10.20.0.10' }], ranges: [{ start: '10.20.0.100', end: '10.20.0.200' }] } },
          { address: 'fd00:20::1', prefix: 64, family: 'ipv6' },
        ],
        dnsmasq_options: { option: [{ value: 'dhcp-option=option:ntp-server,10.20.0.1' }] },
      },
      Routed: { ...meta('lab/Routed'), name: 'routed', forward: { mode: 'route', dev: 'eth0' }, ips: [{ address: '10.30.0.1', netmask: '255.255.255.0' }], routes: [{ address: '10.99.0.0', prefix: 16, gateway: '10.30.0.2' }] },
      Bridged: { ...meta('lab/Bridged'), name: 'br', forward: { mode: 'bridge' }, bridge: { name: 'br0' } },
      Macvtap: { ...meta('lab/Macvtap'), name: 'macvtap', forward: { mode: 'bridge', interfaces: [{ dev: 'eth1' }, { dev: 'eth2' }] } },
      Sriov: { ...meta('lab/Sriov'), name: 'sriov', forward: { mode: 'hostdev', managed: true, driver: { name: 'vfio' }, pfs: [{ dev: 'ens1f0' }] } },
      SriovVfs: { ...meta('lab/SriovVfs'), name: 'sriov-vfs', forward: { mode: 'hostdev', managed: true, addresses: [{ pci: { domain: 0, bus: 59, slot: 2, function: 3 } }] }, vlan: { tags: [{ id: 100 }] } },
    },
    libvirt_domain: {
      Vm: {
        ...meta('lab/Vm/Resource'),
        name: 'vm1',
        type: 'kvm',
        description: 'web server',
        memory: 8,
        memory_unit: 'GiB',
        vcpu: 4,
        running: true,
        autostart: true,
        metadata: { xml: '<lab:vm xmlns:lab="https://example.com/lab"><lab:role>web</lab:role></lab:vm>' },
        cpu: { mode: 'host-passthrough', topology: { sockets: 1, cores: 2, threads: 2 } },
        features: { acpi: true, apic: {}, kvm: { hidden: { state: 'on' } } },
        memory_backing: { memory_source: { type: 'memfd' }, memory_access: { mode: 'shared' } },
        os: { type: 'hvm', type_arch: 'x86_64', type_machine: 'q35', firmware: 'efi', boot_devices: [{ dev: 'hd' }, { dev: 'network' }] },
        clock: { offset: 'utc', timer: [{ name: 'rtc', tick_policy: 'catchup' }] },
        on_crash: 'restart',
        sys_info: [{ fw_cfg: { entry: [{ name: 'opt/com.coreos/config', file: '/var/lib/libvirt/ignition/vm1.ign' }] } }],
        devices: {
          disks: [
            { device: 'disk', driver: { name: 'qemu', type: 'qcow2', cache: 'none' }, source: { volume: { pool: '${libvirt_volume.Root.pool}', volume: '${libvirt_volume.Root.name}' } }, target: { dev: 'vda', bus: 'virtio' }, boot: { order: 1 } },
            { device: 'cdrom', read_only: true, source: { volume: { pool: '${libvirt_volume.Seed.pool}', volume: '${libvirt_volume.Seed.name}' } }, target: { dev: 'sda', bus: 'sata' } },
            { device: 'disk', driver: { name: 'qemu', type: 'raw' }, source: { file: { file: '${libvirt_volume.Remote.path}' } }, target: { dev: 'vdb', bus: 'virtio' }, serial: 'data-1' },
            { device: 'disk', source: { block: { dev: '/dev/vg0/data' } }, target: { dev: 'vdc', bus: 'virtio' }, shareable: true },
          ],
          interfaces: [
            { mac: { address: '52:54:00:aa:bb:01' }, model: { type: 'virtio' }, source: { network: { network: '${libvirt_network.Nat.name}' } }, wait_for_ip: { timeout: 300, source: 'lease' } },
            { model: { type: 'virtio' }, source: { bridge: { bridge: 'br0' } }, mtu: { size: 9000 } },
            { model: { type: 'virtio' }, source: { direct: { dev: 'eth1', mode: 'bridge' } } },
            { managed: true, mac: { address: '52:54:00:aa:bb:02' }, driver: { name: 'vfio' }, source: { hostdev: { pci: { address: { domain: 0, bus: 59, slot: 2, function: 3 } } } }, vlan: { tags: [{ id: 100 }] } },
            { model: { type: 'virtio' }, source: { network: { network: '${libvirt_network.Sriov.name}' } } },
          ],
          hostdevs: [
            { managed: true, subsys_pci: { driver: { name: 'vfio' }, source: { address: { domain: 0, bus: 101, slot: 0, function: 0 } } } },
            { subsys_usb: { source: { vendor: { id: '0x046d' }, product: { id: '0xc52b' } } } },
            { managed: false, subsys_m_dev: { model: 'vfio-pci', display: 'on', source: { address: { uuid: 'c2177883-f1bb-47f0-914d-32a22e3a8804' } } } },
          ],
          consoles: [{ target: { type: 'serial', port: 0 } }],
          serials: [{ source: { pty: { path: '/dev/pts/3' } }, target: { port: 0 } }],
          channels: [{ source: { unix: {} }, target: { virt_io: { name: 'org.qemu.guest_agent.0' } } }],
          graphics: [{ vnc: { auto_port: true, listen: '127.0.0.1' } }],
          videos: [{ model: { type: 'virtio', heads: 1, primary: 'yes' } }],
          inputs: [{ type: 'tablet', bus: 'usb' }],
          rngs: [{ model: 'virtio', backend: { random: '/dev/urandom' } }],
          tpms: [{ model: 'tpm-crb', backend: { emulator: { version: '2.0' } } }],
          filesystems: [{ driver: { type: 'virtiofs' }, source: { mount: { dir: '/srv/share' } }, target: { dir: 'share' } }],
          mem_balloon: { model: 'virtio', stats: { period: 10 } },
          watchdogs: [{ model: 'i6300esb', action: 'reset' }],
          controllers: [{ type: 'pci', index: 0, model: 'pcie-root' }],
        },
        qemu_commandline: { args: [{ value: '-fw_cfg' }, { value: 'name=opt/x,file=/tmp/x' }] },
      },
    },
  });
}

/** True when `virt-xml-validate` is on PATH. */
export function hasValidator(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v virt-xml-validate'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Runs `virt-xml-validate` on an XML document; returns its output on failure, '' when valid. */
export function validate(xml: string, kind: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-'));
  const file = path.join(dir, 'doc.xml');
  fs.writeFileSync(file, xml);
  try {
    execFileSync('virt-xml-validate', [file, kind], { stdio: 'pipe' });
    return '';
  } catch (e: any) {
    return `${e.stdout ?? ''}${e.stderr ?? ''}`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
