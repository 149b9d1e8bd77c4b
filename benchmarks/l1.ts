import { TerraformOutput, TerraformStack } from 'cdktf';
import { CLUSTER_SIZE, IMAGE_URL, LabShape, SSH_KEY, hostUri, subnetOf } from './shape';
import { CloudinitDisk } from '../src/imports/libvirt/cloudinit-disk';
import { Domain } from '../src/imports/libvirt/domain';
import { Network } from '../src/imports/libvirt/network';
import { Pool } from '../src/imports/libvirt/pool';
import { LibvirtProvider } from '../src/imports/libvirt/provider';
import { Volume } from '../src/imports/libvirt/volume';

/**
 * The same lab as high-level.ts, written by hand against the L1 bindings: the same libvirt
 * resources with the same attributes (pool, base image, isolated network with a DHCP lease and a
 * DNS record per guest; per guest a linked clone, a cloud-init seed and a domain with the same
 * devices), and the same outputs. It does not add the high-level layer's `terraform_data`
 * replace triggers or its synth-time checks.
 */
export function buildL1Lab(stack: TerraformStack, shape: LabShape): void {
  const hosts = Array.from({ length: shape.hosts }, (_, h) => {
    const provider = new LibvirtProvider(stack, `Kvm${h + 1}`, { uri: hostUri(h), alias: `kvm${h + 1}` });
    const pool = new Pool(stack, `Pool${h + 1}`, {
      provider,
      name: 'lab',
      type: 'dir',
      target: { path: '/var/lib/libvirt/images/lab' },
      create: { buildAttribute: true, start: true, autostart: true },
      destroy: { delete: true },
    });
    const base = new Volume(stack, `Noble${h + 1}`, {
      provider,
      name: 'noble.qcow2',
      pool: pool.name,
      target: { format: { type: 'qcow2' } },
      create: { content: { url: IMAGE_URL } },
    });
    return { provider, pool, base, guests: [] as { name: string; mac: string; ip: string }[], h };
  });

  // Place guests first (round-robin), so each host's network knows its leases.
  const placed: { name: string; mac: string; ip: string; host: (typeof hosts)[number]; group: number }[] = [];
  for (let i = 0; i < shape.guests; i++) {
    const group = Math.floor(i / CLUSTER_SIZE);
    const inGroup = i % CLUSTER_SIZE;
    const host = hosts[inGroup % hosts.length];
    const k = host.guests.length + 2;
    const [a, b] = subnetOf(host.h).split('.');
    const guest = {
      name: `g${group + 1}-${inGroup + 1}`,
      mac: `52:54:00:${hex(host.h)}:${hex(k >> 8)}:${hex(k & 255)}`,
      ip: `${a}.${b}.${k >> 8}.${k & 255}`,
    };
    host.guests.push(guest);
    placed.push({ ...guest, host, group });
  }

  const networks = hosts.map((host) => {
    const [a, b] = subnetOf(host.h).split('.');
    return new Network(stack, `Net${host.h + 1}`, {
      provider: host.provider,
      name: 'lab-net',
      autostart: true,
      ips: [{
        address: `${a}.${b}.0.1`,
        family: 'ipv4',
        prefix: 20,
        dhcp: {
          ranges: [{ start: `${a}.${b}.8.0`, end: `${a}.${b}.15.254` }],
          hosts: host.guests.map((g) => ({ mac: g.mac, name: g.name, ip: g.ip })),
        },
      }],
      dns: { host: host.guests.map((g) => ({ ip: g.ip, hostnames: [{ hostname: g.name }] })) },
    });
  });

  const names: string[][] = [];
  const addresses: Record<string, string>[] = [];
  for (const g of placed) {
    const { provider, pool, base } = g.host;
    const id = `G${g.group + 1}N${g.name.split('-')[1]}`;
    const boot = new Volume(stack, `${id}Boot`, {
      provider,
      name: `${g.name}-boot.qcow2`,
      pool: pool.name,
      capacity: 20,
      capacityUnit: 'GiB',
      target: { format: { type: 'qcow2' } },
      backingStore: { path: base.path, format: { type: 'qcow2' } },
    });
    const seed = new CloudinitDisk(stack, `${id}Seed`, {
      provider,
      name: `${g.name}-cloudinit`,
      metaData: `instance-id: ${g.name}\nlocal-hostname: ${g.name}\n`,
      userData: [
        '#cloud-config',
        `hostname: ${g.name}`,
        'preserve_hostname: false',
        'users:',
        '  - name: ops',
        '    sudo: ALL=(ALL) NOPASSWD:ALL',
        '    shell: /bin/bash',
        '    lock_passwd: true',
        '    ssh_authorized_keys:',
        `      - ${SSH_KEY}`,
        'ssh_pwauth: false',
        'packages:',
        '  - qemu-guest-agent',
        'package_update: true',
        '',
      ].join('\n'),
      networkConfig: [
        'version: 2',
        'ethernets:',
        '  nic0:',
        '    match:',
        `      macaddress: ${g.mac}`,
        '    dhcp4: false',
        '    addresses:',
        `      - ${g.ip}/20`,
        '    nameservers:',
        '      addresses:',
        `        - ${g.ip.split('.').slice(0, 2).join('.')}.0.1`,
        '',
      ].join('\n'),
    });
    const seedVolume = new Volume(stack, `${id}SeedVolume`, {
      provider,
      name: `${g.name}-cloudinit.iso`,
      pool: pool.name,
      target: { format: { type: 'iso' } },
      create: { content: { url: seed.path } },
    });
    new Domain(stack, id, {
      provider,
      name: g.name,
      type: 'kvm',
      memory: 2,
      memoryUnit: 'GiB',
      vcpu: 2,
      running: true,
      cpu: { mode: 'host-passthrough' },
      features: { acpi: true, apic: {} },
      os: { type: 'hvm', typeArch: 'x86_64', typeMachine: 'q35', bootDevices: [{ dev: 'hd' }] },
      devices: {
        disks: [
          {
            device: 'disk',
            driver: { name: 'qemu', type: 'qcow2' },
            source: { volume: { pool: pool.name, volume: boot.name } },
            target: { dev: 'vda', bus: 'virtio' },
          },
          {
            device: 'cdrom',
            driver: { name: 'qemu', type: 'raw' },
            readOnly: true,
            source: { volume: { pool: pool.name, volume: seedVolume.name } },
            target: { dev: 'sda', bus: 'sata' },
          },
        ],
        interfaces: [{
          mac: { address: g.mac },
          model: { type: 'virtio' },
          source: { network: { network: networks[g.host.h].name } },
        }],
        consoles: [{ target: { type: 'serial', port: 0 } }],
        channels: [{ source: { unix: {} }, target: { virtIo: { name: 'org.qemu.guest_agent.0' } } }],
        rngs: [{ model: 'virtio', backend: { random: '/dev/urandom' } }],
        memBalloon: { model: 'virtio' },
      },
    });
    (names[g.group] ??= []).push(g.name);
    (addresses[g.group] ??= {})[g.name] = g.ip;
  }
  names.forEach((n, i) => {
    new TerraformOutput(stack, `Group${i + 1}Names`, { value: n });
    new TerraformOutput(stack, `Group${i + 1}Addresses`, { value: addresses[i] });
  });
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
