import { parse, stringify } from 'yaml';
import { renderUserData } from '../../src/compute/cloud-init-render';
import { isPlainScalar, repeatedYamlDocument, yamlDocument } from '../../src/compute/cloud-init-yaml';

/** What the `yaml` library writes for the same data as YAML 1.1: the reference. */
function reference(data: { [key: string]: unknown }): string {
  return stringify(data, { lineWidth: 0, version: '1.1' });
}

/** PyYAML's (YAML 1.1) reading of a plain scalar, as far as cloud-init is concerned. */
const PYYAML_NON_STRING = [
  /^(yes|no|on|off|true|false|y|n|null|~)$/i,
  /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/, // base 60
  /^[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+)$/, // integers
  /^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$/, // floats
  /^\d{4}-\d\d?-\d\d?/, // timestamps
];

const SAMPLES = [
  'web', 'g1-1', 'qemu-guest-agent', '/bin/bash', 'root:root', 'default', 'nic0', 'lab.example',
  '10.77.0.1', '10.77.0.12/24', '192.168.100.254/30', '52:54:00:ab:cd:ef', '52:54:00:12:34:56',
  '02:00:00:00:00:01', 'fe:ff:ff:ff:ff:ff', 'yes', 'No', 'ON', 'off', 'y', 'N', 'true', 'False', 'null', 'Null',
  '~', '0x1f', '0o17', '017', '1e5', '1_000', '12:30', '1:20:30', '2001-12-14', '.inf', '.NaN', 'inf', 'nan',
  '-a', 'a-', '_x', 'a:b', 'a:', 'a b', 'a #b', '#a', '&a', '*a', '!a', '%a', '@a', '`a', '=', '<<', '-', '?', '',
  '2001:db8::1', 'fd00::/64', 'ssh-ed25519 AAAA ops@lab', 'ALL=(ALL) NOPASSWD:ALL', 'line\nbreak', ' lead', 'trail ',
  '${TfToken[TOKEN.12]}', 'éte', 'a\tb', '"q"', "'q'", '1.2.3', '10.0', '0',
  'wheel, docker', 'systemctl enable --now nginx', 'ssh-ed25519 AAAAC3Nza+/= ops@lab', 'a  b', 'a:b c', 'a :b',
  'a (b)', 'a=b', 'a,b', 'a~b', 'A:', 'a: b', 'a #b', 'a#b', 'a b ', 'yes please', 'on off', '/', '/etc/motd: x',
  'http://mirror.example/debian?x=1', 'echo "hi"', "it's", 'a\\b', 'Yes', 'NO', 'http://x.y/z', 'x:', 'x: ',
];

describe('cloud-init YAML', () => {
  test.each(SAMPLES)('writes %j exactly as the yaml library does', (text) => {
    expect(yamlDocument({ key: text })).toBe(reference({ key: text }));
  });

  test.each(SAMPLES.filter(isPlainScalar))('writes %j plain only where PyYAML reads it as a string', (text) => {
    expect(PYYAML_NON_STRING.some((re) => re.test(text))).toBe(false);
  });

  test('quotes a MAC address that YAML 1.1 would read as a base-60 number', () => {
    expect(yamlDocument({ macaddress: '52:54:00:12:34:56' })).toBe('macaddress: "52:54:00:12:34:56"\n');
  });

  test('quotes words that YAML 1.1 reads as booleans', () => {
    expect(yamlDocument({ hostname: 'yes' })).toBe('hostname: "yes"\n');
  });

  test('writes a network-config exactly as the yaml library does', () => {
    const data = {
      version: 2,
      ethernets: {
        nic0: {
          match: { macaddress: '52:54:00:ab:cd:01' },
          dhcp4: false,
          addresses: ['10.77.0.10/24'],
          routes: [{ to: 'default', via: '10.77.0.1' }],
          nameservers: { addresses: ['10.77.0.1', '10.77.0.2'] },
        },
        nic1: { match: { macaddress: '52:54:00:12:34:56' }, dhcp4: true },
      },
    };
    expect(yamlDocument(data)).toBe(reference(data));
  });

  test('writes nested sequences of mappings exactly as the yaml library does', () => {
    const data = {
      users: [
        { name: 'ops', shell: '/bin/bash', lock_passwd: true, ssh_authorized_keys: ['ssh-ed25519 AAAA ops@lab'] },
        { name: 'dev', groups: [{ a: 1, b: [{ c: 'x' }] }] },
      ],
      packages: ['nginx', 'yes'],
      empty: [],
      nothing: undefined,
      count: 3,
      ratio: 0.5,
    };
    expect(yamlDocument(data)).toBe(reference(data));
    expect(parse(yamlDocument(data), { version: '1.1' })).toEqual(parse(reference(data), { version: '1.1' }));
  });

  test('writes user-data in two parts exactly as the yaml library writes the whole document', () => {
    const options = {
      users: [{ name: 'ops', groups: ['wheel'], sshAuthorizedKeys: ['ssh-ed25519 AAAAC3Nza+/= ops@lab'] }],
      packages: ['qemu-guest-agent'],
      writeFiles: [{ path: '/etc/motd', content: 'hello\nworld\n' }],
      runcmd: ['systemctl enable --now qemu-guest-agent'],
    };
    const whole = {
      hostname: 'web-1',
      preserve_hostname: false,
      users: [{
        name: 'ops',
        sudo: 'ALL=(ALL) NOPASSWD:ALL',
        groups: 'wheel',
        shell: '/bin/bash',
        lock_passwd: true,
        ssh_authorized_keys: ['ssh-ed25519 AAAAC3Nza+/= ops@lab'],
      }],
      ssh_pwauth: false,
      packages: ['qemu-guest-agent'],
      package_update: true,
      write_files: [{ path: '/etc/motd', content: 'hello\nworld\n', permissions: '0644', owner: 'root:root' }],
      runcmd: ['systemctl enable --now qemu-guest-agent'],
    };
    expect(renderUserData(options, 'web-1')).toBe(`#cloud-config\n${reference(whole)}`);
  });

  test('falls back to the yaml library for a mapping with no values', () => {
    expect(yamlDocument({ a: undefined })).toBe(reference({ a: undefined }));
  });

  test('renders a repeated document again when its content changes', () => {
    expect(repeatedYamlDocument({ packages: ['a'] })).toBe('packages:\n  - a\n');
    expect(repeatedYamlDocument({ packages: ['b'] })).toBe('packages:\n  - b\n');
    expect(repeatedYamlDocument({ packages: ['b'] })).toBe('packages:\n  - b\n');
  });
});
