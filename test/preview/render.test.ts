import { Testing, TerraformStack } from 'cdktf';
import { hasValidator, meta, richStack, stackOf, validate } from './util';
import { Domain } from '../../src/imports/libvirt/domain';
import { Network } from '../../src/imports/libvirt/network';
import { Pool } from '../../src/imports/libvirt/pool';
import { LibvirtProvider } from '../../src/imports/libvirt/provider';
import { Volume } from '../../src/imports/libvirt/volume';
import { renderStack, withPlaceholderStandIns } from '../../src/preview';

/** The XML of one resource of the rich stack, without the leading comments. */
function xmlOf(address: string, stack: any = richStack()): string {
  const doc = renderStack(stack).find((d) => d.address === address);
  if (!doc) {
    throw new Error(`no document for ${address}`);
  }
  return doc.xml.split('\n').filter((l) => !l.startsWith('<!--')).join('\n').trim();
}

/** The XML of a lone domain with the given devices. */
function domainXml(devices: any, extra: any = {}): string {
  return xmlOf('libvirt_domain.Vm', stackOf({ libvirt_domain: { Vm: { name: 'vm', type: 'kvm', memory: 1, memory_unit: 'GiB', devices, ...extra } } }));
}

describe('renderStack', () => {
  describe('documents', () => {
    test('renders one document per domain, network, pool and volume, ordered by address', () => {
      // WHEN
      const docs = renderStack(richStack());
      // THEN
      expect(docs.map((d) => `${d.kind} ${d.address}`)).toEqual([
        'domain libvirt_domain.Vm',
        'network libvirt_network.Bridged',
        'network libvirt_network.Isolated',
        'network libvirt_network.Macvtap',
        'network libvirt_network.Nat',
        'network libvirt_network.Routed',
        'network libvirt_network.Sriov',
        'network libvirt_network.SriovVfs',
        'pool libvirt_pool.Ceph',
        'pool libvirt_pool.Images',
        'pool libvirt_pool.Iscsi',
        'pool libvirt_pool.Lvm',
        'pool libvirt_pool.Nfs',
        'volume libvirt_volume.Base',
        'volume libvirt_volume.Remote',
        'volume libvirt_volume.Root',
        'volume libvirt_volume.Seed',
      ]);
    });

    test('carries the libvirt name and the construct path', () => {
      // WHEN
      const doc = renderStack(richStack()).find((d) => d.address === 'libvirt_domain.Vm');
      // THEN
      expect([doc?.name, doc?.constructPath]).toEqual(['vm1', 'lab/Vm/Resource']);
    });

    test('is deterministic', () => {
      // WHEN
      const first = renderStack(richStack());
      const second = renderStack(JSON.parse(JSON.stringify(richStack())));
      // THEN
      expect(second).toEqual(first);
    });

    test('ignores resources that define no libvirt XML', () => {
      // WHEN
      const docs = renderStack(richStack());
      // THEN
      expect(docs.some((d) => d.address.startsWith('libvirt_cloudinit_disk'))).toBe(false);
    });

    test('lists provider-only fields in a comment instead of the XML', () => {
      // WHEN
      const xml = renderStack(richStack()).find((d) => d.address === 'libvirt_domain.Vm')!.xml;
      // THEN
      expect([xml.includes('<!-- not XML: running = true'), xml.includes('wait_for_ip'), /<running|<autostart|<wait_for_ip/.test(xml)])
        .toEqual([true, true, false]);
    });

    test('renders a stack synthesized from L1 resources', () => {
      // GIVEN
      const stack = new TerraformStack(Testing.app(), 'lab');
      new LibvirtProvider(stack, 'Libvirt', {});
      const pool = new Pool(stack, 'Pool', { name: 'lab', type: 'dir', target: { path: '/srv/lab' } });
      const vol = new Volume(stack, 'Root', { name: 'root.qcow2', pool: pool.name, capacity: 10, capacityUnit: 'GiB' });
      const net = new Network(stack, 'Net', { name: 'lab-net', ips: [{ address: '10.0.0.1', prefix: 24 }] });
      new Domain(stack, 'Vm', {
        name: 'vm',
        type: 'kvm',
        memory: 1,
        memoryUnit: 'GiB',
        devices: {
          disks: [{ source: { file: { file: vol.path } }, target: { dev: 'vda', bus: 'virtio' } }],
          interfaces: [{ source: { network: { network: net.name } } }],
        },
      });
      // WHEN
      const docs = renderStack(JSON.parse(Testing.synth(stack)));
      // THEN
      expect(docs.find((d) => d.kind === 'domain')!.xml).toContain([
        "    <disk type='file'>",
        "      <source file='/srv/lab/root.qcow2'/>",
        "      <target dev='vda' bus='virtio'/>",
        '    </disk>',
        "    <interface type='network'>",
        "      <source network='lab-net'/>",
        '    </interface>',
      ].join('\n'));
    });
  });

  describe('domain', () => {
    test('renders the top level: type, name, memory with its unit, vCPUs, OS and features', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain([
        "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
        '  <name>vm1</name>',
        '  <description>web server</description>',
      ].join('\n'));
      expect(xml).toContain("  <memory unit='GiB'>8</memory>");
      expect(xml).toContain('  <vcpu>4</vcpu>');
      expect(xml).toContain([
        "  <os firmware='efi'>",
        "    <type arch='x86_64' machine='q35'>hvm</type>",
        "    <boot dev='hd'/>",
        "    <boot dev='network'/>",
        '  </os>',
        '  <features>',
        '    <acpi/>',
        '    <apic/>',
        '    <kvm>',
        "      <hidden state='on'/>",
        '    </kvm>',
        '  </features>',
      ].join('\n'));
    });

    test('renders a volume disk with the pool and volume names resolved', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain([
        "    <disk type='volume' device='disk'>",
        "      <driver name='qemu' type='qcow2' cache='none'/>",
        "      <source pool='images' volume='vm1-root.qcow2'/>",
        "      <target dev='vda' bus='virtio'/>",
        "      <boot order='1'/>",
        '    </disk>',
      ].join('\n'));
    });

    test('renders the cloud-init seed as a read-only SATA cdrom', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain([
        "    <disk type='volume' device='cdrom'>",
        "      <source pool='images' volume='vm1-seed.iso'/>",
        "      <target dev='sda' bus='sata'/>",
        '      <readonly/>',
        '    </disk>',
      ].join('\n'));
    });

    test('shows a volume path it cannot derive as a placeholder', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain("<disk type='file' device='disk'>\n      <driver name='qemu' type='raw'/>\n      <source file='@{libvirt_volume.Remote.path}'/>");
    });

    test('renders block disks and presence booleans', () => {
      // WHEN
      const xml = domainXml({ disks: [{ source: { block: { dev: '/dev/sdb' } }, target: { dev: 'vdb' }, shareable: true, read_only: false }] });
      // THEN
      expect(xml).toContain("    <disk type='block'>\n      <source dev='/dev/sdb'/>\n      <target dev='vdb'/>\n      <shareable/>\n    </disk>");
    });

    test('renders a NIC on a libvirt network', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain([
        "    <interface type='network'>",
        "      <mac address='52:54:00:aa:bb:01'/>",
        "      <source network='nat'/>",
        "      <model type='virtio'/>",
        '    </interface>',
      ].join('\n'));
    });

    test('renders bridge and macvtap NICs', () => {
      // WHEN
      const xml = domainXml({ interfaces: [{ source: { bridge: { bridge: 'br0' } } }, { source: { direct: { dev: 'eth1', mode: 'passthrough' } } }] });
      // THEN
      expect(xml).toContain([
        "    <interface type='bridge'>",
        "      <source bridge='br0'/>",
        '    </interface>',
        "    <interface type='direct'>",
        "      <source dev='eth1' mode='passthrough'/>",
        '    </interface>',
      ].join('\n'));
    });

    test('renders an SR-IOV VF NIC with its PCI address in hex', () => {
      // WHEN
      const xml = domainXml({ interfaces: [{ managed: true, driver: { name: 'vfio' }, source: { hostdev: { pci: { address: { domain: 0, bus: 59, slot: 2, function: 3 } } } } }] });
      // THEN
      expect(xml).toContain([
        "    <interface type='hostdev' managed='yes'>",
        '      <source>',
        "        <address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x3'/>",
        '      </source>',
        "      <driver name='vfio'/>",
        '    </interface>',
      ].join('\n'));
    });

    test('renders PCI passthrough as a subsystem hostdev', () => {
      // WHEN
      const xml = domainXml({ hostdevs: [{ managed: true, subsys_pci: { driver: { name: 'vfio' }, source: { address: { domain: 0, bus: 101, slot: 0, function: 0 } } } }] });
      // THEN
      expect(xml).toContain([
        "    <hostdev mode='subsystem' type='pci' managed='yes'>",
        "      <driver name='vfio'/>",
        '      <source>',
        "        <address domain='0x0000' bus='0x65' slot='0x00' function='0x0'/>",
        '      </source>',
        '    </hostdev>',
      ].join('\n'));
    });

    test('renders USB and mdev hostdevs', () => {
      // WHEN
      const xml = domainXml({
        hostdevs: [
          { subsys_usb: { source: { vendor: { id: '0x046d' }, address: { bus: 1, device: 3 } } } },
          { subsys_m_dev: { model: 'vfio-pci', source: { address: { uuid: 'c2177883-f1bb-47f0-914d-32a22e3a8804' } } } },
        ],
      });
      // THEN
      expect(xml).toContain([
        "    <hostdev mode='subsystem' type='usb'>",
        '      <source>',
        "        <vendor id='0x046d'/>",
        "        <address bus='1' device='3'/>",
        '      </source>',
        '    </hostdev>',
        "    <hostdev mode='subsystem' type='mdev' model='vfio-pci'>",
        '      <source>',
        "        <address uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/>",
        '      </source>',
        '    </hostdev>',
      ].join('\n'));
    });

    test('defaults consoles to a pty and renders the guest agent channel', () => {
      // WHEN
      const xml = domainXml({
        consoles: [{ target: { type: 'serial', port: 0 } }],
        channels: [{ source: { unix: {} }, target: { virt_io: { name: 'org.qemu.guest_agent.0' } } }],
      });
      // THEN
      expect(xml).toContain([
        "    <console type='pty'>",
        "      <target type='serial' port='0'/>",
        '    </console>',
        "    <channel type='unix'>",
        "      <target type='virtio' name='org.qemu.guest_agent.0'/>",
        '    </channel>',
      ].join('\n'));
    });

    test('renders graphics, an RNG and a TPM by their branch', () => {
      // WHEN
      const xml = domainXml({
        graphics: [{ vnc: { auto_port: true, listen: '127.0.0.1' } }],
        rngs: [{ model: 'virtio', backend: { random: '/dev/urandom' } }],
        tpms: [{ model: 'tpm-crb', backend: { emulator: { version: '2.0' } } }],
      });
      // THEN
      expect([
        xml.includes("<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>"),
        xml.includes("<backend model='random'>/dev/urandom</backend>"),
        xml.includes("<backend type='emulator' version='2.0'/>"),
      ]).toEqual([true, true, true]);
    });

    test('flattens value and unit pairs into one element', () => {
      // WHEN
      const xml = domainXml({}, { vcpu: 8, vcpu_placement: 'static', vcpu_current: 2, maximum_memory: 16, maximum_memory_unit: 'GiB', maximum_memory_slots: 2 });
      // THEN
      expect([xml.includes("<vcpu placement='static' current='2'>8</vcpu>"), xml.includes("<maxMemory unit='GiB' slots='2'>16</maxMemory>")]).toEqual([true, true]);
    });

    test('renders the attributes of an unset value element on an empty element', () => {
      // WHEN
      const xml = domainXml({}, { os: { type: 'hvm', firmware: 'efi', loader_secure: 'yes', boot_devices: [{ dev: 'hd' }] } });
      // THEN
      expect(xml).toContain("  <os firmware='efi'>\n    <type>hvm</type>\n    <loader secure='yes'/>\n    <boot dev='hd'/>\n  </os>");
    });

    test('renders memory backing: hugepages, KSM opt-out and locked memory', () => {
      // WHEN
      const xml = domainXml({}, { memory_backing: { memory_nosharepages: true, memory_locked: true, memory_huge_pages: { hugepages: [{ size: 2, unit: 'MiB' }] } } });
      // THEN
      expect(xml).toContain([
        '  <memoryBacking>',
        '    <nosharepages/>',
        '    <locked/>',
        '    <hugepages>',
        "      <page size='2' unit='MiB'/>",
        '    </hugepages>',
        '  </memoryBacking>',
      ].join('\n'));
    });

    test('inserts the raw metadata XML', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain('  <metadata>\n    <lab:vm xmlns:lab="https://example.com/lab"><lab:role>web</lab:role></lab:vm>\n  </metadata>');
    });

    test('renders fw_cfg entries for Ignition', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain("  <sysinfo type='fwcfg'>\n    <entry name='opt/com.coreos/config' file='/var/lib/libvirt/ignition/vm1.ign'/>\n  </sysinfo>");
    });

    test('declares the qemu namespace for the QEMU command line', () => {
      // WHEN
      const xml = xmlOf('libvirt_domain.Vm');
      // THEN
      expect(xml).toContain("  <qemu:commandline>\n    <qemu:arg value='-fw_cfg'/>");
    });

    test('does not render guest-side addresses, which the provider leaves empty', () => {
      // WHEN
      const xml = domainXml({ disks: [{ source: { file: { file: '/x.img' } }, target: { dev: 'vda' }, address: {} }] });
      // THEN
      expect(xml).not.toContain('<address');
    });
  });

  describe('network', () => {
    test('renders an isolated network without a forward element', () => {
      // WHEN
      const xml = xmlOf('libvirt_network.Isolated');
      // THEN
      expect(xml).toBe("<network>\n  <name>iso</name>\n  <ip address='10.10.0.1' prefix='24'/>\n</network>");
    });

    test('renders a NAT network with DHCP hosts, DNS records and dnsmasq options', () => {
      // WHEN
      const xml = xmlOf('libvirt_network.Nat');
      // THEN
      expect(xml).toBe([
        "<network xmlns:dnsmasq='http://libvirt.org/schemas/network/dnsmasq/1.0'>",
        '  <name>nat</name>',
        "  <forward mode='nat'>",
        '    <nat>',
        "      <port start='1024' end='65535'/>",
        '    </nat>',
        '  </forward>',
        "  <bridge name='virbr10' stp='on' delay='0'/>",
        "  <domain name='lab.internal' localOnly='yes'/>",
        "  <dns enable='yes'>",
        "    <forwarder addr='1.1.1.1'/>",
        "    <host ip='10.20.0.10'>",
        '      <hostname>vm1</hostname>',
        '      <hostname>vm1.lab.internal</hostname>',
        '    </host>',
        '  </dns>',
        "  <ip address='10.20.0.1' prefix='24' family='ipv4'>",
        '    <dhcp>',
        "      <range start='10.20.0.100' end='10.20.0.200'/>",
        "      <host mac='52:54:00:aa:bb:01' name='vm1' ip='10.20.0.10'/>",
        '    </dhcp>',
        '  </ip>',
        "  <ip address='fd00:20::1' prefix='64' family='ipv6'/>",
        '  <dnsmasq:options>',
        "    <dnsmasq:option value='dhcp-option=option:ntp-server,10.20.0.1'/>",
        '  </dnsmasq:options>',
        '</network>',
      ].join('\n'));
    });

    test('renders routed, bridged and macvtap networks', () => {
      // WHEN
      const xml = ['Routed', 'Bridged', 'Macvtap'].map((n) => xmlOf(`libvirt_network.${n}`)).join('\n');
      // THEN
      expect([
        xml.includes("<forward mode='route' dev='eth0'/>"),
        xml.includes("<route address='10.99.0.0' prefix='16' gateway='10.30.0.2'/>"),
        xml.includes("<forward mode='bridge'/>\n  <bridge name='br0'/>"),
        xml.includes("<forward mode='bridge'>\n    <interface dev='eth1'/>\n    <interface dev='eth2'/>\n  </forward>"),
      ]).toEqual([true, true, true, true]);
    });

    test('renders an SR-IOV pool from a PF and from VF addresses in hex', () => {
      // WHEN
      const pf = xmlOf('libvirt_network.Sriov');
      const vfs = xmlOf('libvirt_network.SriovVfs');
      // THEN
      expect([
        pf.includes("<forward mode='hostdev' managed='yes'>\n    <driver name='vfio'/>\n    <pf dev='ens1f0'/>\n  </forward>"),
        vfs.includes("<address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x3'/>"),
      ]).toEqual([true, true]);
    });
  });

  describe('pool', () => {
    test('renders a dir pool with its target path and permissions', () => {
      // WHEN
      const xml = xmlOf('libvirt_pool.Images');
      // THEN
      expect(xml).toBe([
        "<pool type='dir'>",
        '  <name>images</name>',
        '  <target>',
        '    <path>/var/lib/libvirt/images/lab/</path>',
        '    <permissions>',
        '      <mode>0711</mode>',
        '      <owner>0</owner>',
        '      <group>0</group>',
        '    </permissions>',
        '  </target>',
        '</pool>',
      ].join('\n'));
    });

    test('renders logical, netfs, iSCSI and RBD pool sources', () => {
      // WHEN
      const xml = ['Lvm', 'Nfs', 'Iscsi', 'Ceph'].map((n) => xmlOf(`libvirt_pool.${n}`)).join('\n');
      // THEN
      expect([
        xml.includes("<source>\n    <device path='/dev/sdb'/>\n    <name>vg0</name>\n    <format type='lvm2'/>\n  </source>"),
        xml.includes("<host name='nas.example.com'/>\n    <dir path='/export/vms'/>\n    <format type='nfs'/>"),
        xml.includes("<initiator>\n      <iqn name='iqn.2013-06.com.example:host1'/>\n    </initiator>"),
        xml.includes("<auth type='ceph' username='libvirt'>\n      <secret uuid='2ec115d7-3a88-3ceb-bc12-0ac909a6fd87'/>\n    </auth>"),
      ]).toEqual([true, true, true, true]);
    });
  });

  describe('volume', () => {
    test('renders a linked clone with the backing path derived from the pool', () => {
      // WHEN
      const xml = xmlOf('libvirt_volume.Root');
      // THEN
      expect(xml).toBe([
        '<volume>',
        '  <name>vm1-root.qcow2</name>',
        "  <capacity unit='GiB'>20</capacity>",
        '  <target>',
        "    <format type='qcow2'/>",
        '  </target>',
        '  <backingStore>',
        '    <path>/var/lib/libvirt/images/lab/noble.qcow2</path>',
        "    <format type='qcow2'/>",
        '  </backingStore>',
        '</volume>',
      ].join('\n'));
    });

    test('names the pool and the upload source in comments', () => {
      // WHEN
      const xml = renderStack(richStack()).find((d) => d.address === 'libvirt_volume.Seed')!.xml;
      // THEN
      expect(xml).toContain([
        '<!-- not XML: pool = "images" (the pool the volume is created in) -->',
        '<!-- not XML: create = {"content":{"url":"@{libvirt_cloudinit_disk.Seed.path}"}} (upload the volume content) -->',
      ].join('\n'));
    });

    test('adds the empty target that libvirt schema wants', () => {
      // WHEN
      const xml = xmlOf('libvirt_volume.Seed');
      // THEN
      expect(xml).toBe('<volume>\n  <name>vm1-seed.iso</name>\n  <target/>\n</volume>');
    });

    test('keeps a placeholder when the pool is not known', () => {
      // WHEN
      const xml = renderStack(richStack()).find((d) => d.address === 'libvirt_volume.Remote')!.xml;
      // THEN
      expect(xml).toContain('pool = "@{var.pool}"');
    });
  });

  describe('references', () => {
    test('resolves chained references to literals', () => {
      // GIVEN
      const stack = stackOf({
        libvirt_pool: { P: { ...meta('s/P'), name: 'p', type: 'dir', target: { path: '/p' } } },
        libvirt_volume: { V: { ...meta('s/V'), name: 'v.qcow2', pool: '${libvirt_pool.P.name}' } },
        libvirt_domain: { D: { ...meta('s/D'), name: 'd', type: 'kvm', devices: { disks: [{ source: { volume: { pool: '${libvirt_volume.V.pool}', volume: '${libvirt_volume.V.name}' } } }] } } },
      });
      // WHEN
      const xml = xmlOf('libvirt_domain.D', stack);
      // THEN
      expect(xml).toContain("<source pool='p' volume='v.qcow2'/>");
    });

    test('shows references to unknown values as placeholders, keeping the text around them', () => {
      // GIVEN
      const stack = stackOf({ libvirt_domain: { D: { name: 'vm-${var.suffix}', type: 'kvm', description: '${upper(var.d)}' } } });
      // WHEN
      const doc = renderStack(stack)[0];
      // THEN
      expect([doc.name, doc.xml.includes('<description>@{upper(var.d)}</description>')]).toEqual(['vm-@{var.suffix}', true]);
    });

    test('does not derive a volume path in a pool type without file paths', () => {
      // GIVEN
      const stack = stackOf({
        libvirt_pool: { P: { name: 'rbd', type: 'rbd', source: { name: 'x' } } },
        libvirt_volume: { V: { name: 'v', pool: '${libvirt_pool.P.name}' } },
        libvirt_domain: { D: { name: 'd', type: 'kvm', devices: { disks: [{ source: { file: { file: '${libvirt_volume.V.path}' } } }] } } },
      });
      // WHEN
      const xml = xmlOf('libvirt_domain.D', stack);
      // THEN
      expect(xml).toContain("<source file='@{libvirt_volume.V.path}'/>");
    });
  });

  describe('withPlaceholderStandIns', () => {
    test('replaces path placeholders with absolute stand-ins and others with names', () => {
      // WHEN
      const xml = withPlaceholderStandIns("<source file='@{libvirt_volume.V.path}' pool='@{var.pool}'/>");
      // THEN
      expect(xml).toBe("<source file='/unresolved/libvirt_volume.V.path' pool='unresolved.var.pool'/>");
    });
  });

  (hasValidator() ? describe : describe.skip)('virt-xml-validate', () => {
    test.each(renderStack(richStack()).map((d) => [d.address, d] as const))('accepts %s', (_address, doc) => {
      // WHEN
      const result = validate(withPlaceholderStandIns(doc.xml), ({ pool: 'storagepool', volume: 'storagevol' } as any)[doc.kind] ?? doc.kind);
      // THEN
      expect(result).toBe('');
    });
  });
});
