import { TerraformVariable } from 'cdktf';
import { parse } from 'yaml';
import { domainOf, FakeNetwork, lab, resourceOf, secondHost, synthJson } from './util';
import { IpAssignment, VirtualMachine } from '../../src/compute';
import { MacAddress } from '../../src/core';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOps ops@lab';

function seed(stack: any): any {
  return resourceOf(synthJson(stack), 'libvirt_cloudinit_disk', 'Web_CloudInit_');
}

function userData(stack: any): any {
  const text: string = seed(stack).user_data;
  expect(text.startsWith('#cloud-config\n')).toBe(true);
  return parse(text);
}

describe('VirtualMachine cloud-init', () => {
  test('renders #cloud-config with the guest name as hostname', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: {} });
    expect(userData(stack)).toEqual({ hostname: 'web', preserve_hostname: false });
  });

  test('renders meta-data with the instance id and local hostname', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { hostname: 'www' } });
    expect(parse(seed(stack).meta_data)).toEqual({ 'instance-id': 'web', 'local-hostname': 'www' });
  });

  test('creates users with SSH keys, passwordless sudo and a locked password', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { users: [{ name: 'ops', sshAuthorizedKeys: [KEY], groups: ['wheel', 'docker'] }] } });
    const doc = userData(stack);
    expect(doc.users).toEqual([{
      name: 'ops', sudo: 'ALL=(ALL) NOPASSWD:ALL', groups: 'wheel, docker', shell: '/bin/bash', lock_passwd: true, ssh_authorized_keys: [KEY],
    }]);
    expect(doc.ssh_pwauth).toBe(false);
  });

  test('gives a user no sudo rule when sudo is empty', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { users: [{ name: 'guest', sudo: '', shell: '/bin/sh' }] } });
    expect(userData(stack).users[0]).toEqual({ name: 'guest', shell: '/bin/sh', lock_passwd: true });
  });

  test('renders packages, files and commands', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', {
      pool,
      cloudInit: {
        packages: ['nginx'],
        writeFiles: [{ path: '/etc/motd', content: 'hello\n', permissions: '0600' }],
        runcmd: ['systemctl enable --now nginx'],
      },
    });
    const doc = userData(stack);
    expect(doc.packages).toEqual(['nginx']);
    expect(doc.package_update).toBe(true);
    expect(doc.write_files).toEqual([{ path: '/etc/motd', content: 'hello\n', permissions: '0600', owner: 'root:root' }]);
    expect(doc.runcmd).toEqual(['systemctl enable --now nginx']);
  });

  test('upgrades packages when asked', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { packageUpgrade: true } });
    expect(userData(stack)).toMatchObject({ package_update: true, package_upgrade: true });
  });

  test('escapes Terraform template syntax in literal text', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { runcmd: ['echo ${HOME} %{x}'] } });
    expect(userData(stack).runcmd).toEqual(['echo $${HOME} %%{x}']);
  });

  test('accepts a crypt(3) password hash and allows password login', () => {
    const { stack, pool } = lab();
    const hash = '$6$rounds=4096$salt$4PqNqJdFQeqkRM3rFbQnlbDR2a8iXrp2m6LVtpFkmXvBYp6gpkJ3rqEEkRzHvJcBVOjWZ0.5nRwDVzKjS9i0h.';
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { users: [{ name: 'ops', hashedPassword: hash }] } });
    const doc = userData(stack);
    expect(doc.users[0]).toMatchObject({ passwd: hash, lock_passwd: false });
    expect(doc.ssh_pwauth).toBe(true);
  });

  test('accepts a password hash from a sensitive variable and writes only the reference', () => {
    const { stack, pool } = lab();
    const pw = new TerraformVariable(stack, 'opsPasswordHash', { type: 'string', sensitive: true });
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { users: [{ name: 'ops', hashedPassword: pw.stringValue }] } });
    expect(userData(stack).users[0].passwd).toBe('${var.opsPasswordHash}');
  });

  test('throws on a plain-text password without echoing it', () => {
    const { stack, pool } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { pool, cloudInit: { users: [{ name: 'ops', hashedPassword: 'hunter2' }] } }))
      .toThrow(/Lab\/Web: 'cloudInit.users\[0\].hashedPassword' must be a crypt\(3\) hash such as "\$6\$salt\$..." or a reference to a sensitive Terraform variable, got "\*\*\*". Plain-text passwords/);
  });

  test('throws on a malformed SSH key', () => {
    const { stack, pool } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { pool, cloudInit: { users: [{ name: 'ops', sshAuthorizedKeys: ['not a key'] }] } }))
      .toThrow(/'cloudInit.users\[0\].sshAuthorizedKeys\[0\]' must be an OpenSSH public key/);
  });

  test('throws on an invalid user name and a duplicate user', () => {
    const { stack, pool } = lab();
    expect(() => new VirtualMachine(stack, 'A', { pool, cloudInit: { users: [{ name: 'Ops Team' }] } }))
      .toThrow(/'cloudInit.users\[0\].name' must be a Linux user name/);
    expect(() => new VirtualMachine(stack, 'B', { pool, cloudInit: { users: [{ name: 'ops' }, { name: 'ops' }] } }))
      .toThrow(/'cloudInit.users\[1\].name' must be unique among the users, got "ops"/);
  });

  test('throws on an invalid hostname and a relative file path', () => {
    const { stack, pool } = lab();
    expect(() => new VirtualMachine(stack, 'A', { pool, cloudInit: { hostname: 'web_1' } })).toThrow(/'cloudInit.hostname' must be a host name/);
    expect(() => new VirtualMachine(stack, 'B', { pool, cloudInit: { writeFiles: [{ path: 'etc/motd', content: '' }] } }))
      .toThrow(/'cloudInit.writeFiles\[0\].path' must be an absolute path, got "etc\/motd"/);
  });

  test('writes a static network-config for reserved addresses, with gateway and DNS on a NAT network', () => {
    const { stack, pool, net } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool, nics: [{ network: net }], cloudInit: {} });
    expect(parse(seed(stack).network_config)).toEqual({
      version: 2,
      ethernets: {
        nic0: {
          match: { macaddress: vm.nics[0].mac.toString() },
          dhcp4: false,
          addresses: ['10.10.0.2/24'],
          routes: [{ to: 'default', via: '10.10.0.1' }],
          nameservers: { addresses: ['10.10.0.1'] },
        },
      },
    });
  });

  test('writes no default route on an isolated network', () => {
    const { stack, pool } = lab();
    const other = secondHost(stack);
    new VirtualMachine(stack, 'Web', { host: other.host, pool: other.pool, nics: [{ network: other.net }], cloudInit: {} });
    void pool;
    const nic = parse(seed(stack).network_config).ethernets.nic0;
    expect(nic.routes).toBeUndefined();
    expect(nic.addresses).toEqual(['10.20.0.2/24']);
  });

  test('configures DHCP NICs with dhcp4, including NICs added after construction', () => {
    const { stack, pool, net, host } = lab();
    const vm = new VirtualMachine(stack, 'Web', { pool, cloudInit: {} });
    vm.addNic({ network: new FakeNetwork(stack, 'Br0', host) });
    vm.addNic({ network: net, ipAssignment: IpAssignment.dhcp() });
    const eth = parse(seed(stack).network_config).ethernets;
    expect(Object.keys(eth)).toEqual(['nic0', 'nic1']);
    expect(eth.nic0).toEqual({ match: { macaddress: vm.nics[0].mac.toString() }, dhcp4: true });
  });

  test('quotes a MAC address that cloud-init\'s YAML 1.1 would read as a number', () => {
    const { stack, pool, net } = lab();
    new VirtualMachine(stack, 'Web', { pool, nics: [{ network: net, mac: MacAddress.of('52:54:00:12:34:56') }], cloudInit: {} });
    const text: string = seed(stack).network_config;
    expect(text).toContain('macaddress: "52:54:00:12:34:56"');
    expect(parse(text, { version: '1.1' }).ethernets.nic0.match.macaddress).toBe('52:54:00:12:34:56');
  });

  test('quotes a host name that cloud-init\'s YAML 1.1 would read as a boolean', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: { hostname: 'on' } });
    expect(parse(seed(stack).user_data, { version: '1.1' }).hostname).toBe('on');
    expect(parse(seed(stack).meta_data, { version: '1.1' })['local-hostname']).toBe('on');
  });

  test('leaves out the network-config when the guest has no NICs', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: {} });
    expect(seed(stack).network_config).toBeUndefined();
  });

  test('uploads the seed ISO from the cloud-init disk\'s path, as an ISO volume', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: {} });
    const json = synthJson(stack);
    expect(resourceOf(json, 'libvirt_cloudinit_disk', 'Web_CloudInit_').name).toBe('web-cloudinit');
    expect(resourceOf(json, 'libvirt_volume', 'Web_CloudInitVolume_')).toMatchObject({
      name: 'web-cloudinit.iso',
      target: { format: { type: 'iso' } },
      create: { content: { url: '${libvirt_cloudinit_disk.Web_CloudInit_07C05F50.path}' } },
    });
  });

  test('attaches the seed as a read-only SATA CD-ROM named sda', () => {
    const { stack, pool } = lab();
    new VirtualMachine(stack, 'Web', { pool, cloudInit: {} });
    expect(domainOf(synthJson(stack), 'Web').devices.disks).toEqual([{
      device: 'cdrom',
      read_only: true,
      driver: { name: 'qemu', type: 'raw' },
      source: { volume: { pool: expect.stringMatching(/^\$\{libvirt_pool\.Pool_[0-9A-F]{8}\.name\}$/), volume: expect.stringMatching(/\.name\}$/) } },
      target: { dev: 'sda', bus: 'sata' },
    }]);
  });

  test('throws when there is no pool for the seed', () => {
    const { stack } = lab();
    expect(() => new VirtualMachine(stack, 'Web', { cloudInit: {} }))
      .toThrow(/Lab\/Web: 'cloudInit.pool' must be a storage pool for the cloud-init seed, got undefined/);
  });
});
