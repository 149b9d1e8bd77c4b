import { Testing } from 'cdktf';
import { domainOf, FakeDevice, lab, resources, secondHost, synthJson } from './util';
import { IpAssignment, VmCluster } from '../../src/compute';
import { LibvirtHost, Size } from '../../src/core';
import { StoragePool } from '../../src/storage';

/** Synthesizes a one-host cluster of `count` nodes. */
function synthCluster(count: number): any {
  const { stack, pool, net, image } = lab();
  new VmCluster(stack, 'Workers', { count, pools: [pool], networks: [net], bootImage: image, cloudInit: {} });
  return synthJson(stack);
}

/** Every resource (all types) whose logical id belongs to node `n` of `Workers`. */
function nodeResources(json: any, n: number): Record<string, any> {
  const out: Record<string, any> = {};
  for (const [type, byId] of Object.entries<any>(json.resource)) {
    for (const [id, body] of Object.entries<any>(byId)) {
      if (id.startsWith(`Workers_Node${n}_`)) out[`${type}.${id}`] = body;
    }
  }
  return out;
}

describe('VmCluster', () => {
  test('creates count guests named <prefix>-1..N', () => {
    const { stack } = lab();
    const cluster = new VmCluster(stack, 'Workers', { count: 3 });
    expect(cluster.nodeNames).toEqual(['workers-1', 'workers-2', 'workers-3']);
    const json = synthJson(stack);
    expect(Object.values(resources(json, 'libvirt_domain')).map((d: any) => d.name).sort()).toEqual(['workers-1', 'workers-2', 'workers-3']);
  });

  test('uses the name prefix', () => {
    const { stack } = lab();
    expect(new VmCluster(stack, 'Workers', { count: 1, namePrefix: 'k8s' }).nodeNames).toEqual(['k8s-1']);
  });

  test('gives each node its own boot clone, cloud-init seed and address', () => {
    const json = synthCluster(2);
    const volumes = Object.values(resources(json, 'libvirt_volume')).map((v: any) => v.name).sort();
    expect(volumes).toEqual(['noble.qcow2', 'workers-1-boot.qcow2', 'workers-1-cloudinit.iso', 'workers-2-boot.qcow2', 'workers-2-cloudinit.iso']);
    const hosts = Object.values<any>(resources(json, 'libvirt_network'))[0].ips[0].dhcp.hosts;
    expect(hosts.map((h: any) => [h.name, h.ip])).toEqual([['workers-1', '10.10.0.2'], ['workers-2', '10.10.0.3']]);
  });

  test('sets each node\'s hostname to its name', () => {
    const json = synthCluster(2);
    const seeds = Object.values<any>(resources(json, 'libvirt_cloudinit_disk')).map((s) => s.meta_data);
    expect(seeds).toEqual(['instance-id: workers-1\nlocal-hostname: workers-1\n', 'instance-id: workers-2\nlocal-hostname: workers-2\n']);
  });

  test('applies the shared spec to every node', () => {
    const { stack } = lab();
    new VmCluster(stack, 'Workers', { count: 2, vcpus: 4, memory: Size.gibibytes(8) });
    const json = synthJson(stack);
    for (const n of [1, 2]) expect(domainOf(json, `Workers_Node${n}`)).toMatchObject({ vcpu: 4, memory: 8, memory_unit: 'GiB' });
  });

  test('applies per-node overrides, e.g. a bigger first node', () => {
    const { stack } = lab();
    new VmCluster(stack, 'Workers', { count: 2, vcpus: 2, nodeOverrides: [{ index: 0, vcpus: 8, memory: Size.gibibytes(16) }] });
    const json = synthJson(stack);
    expect(domainOf(json, 'Workers_Node1')).toMatchObject({ vcpu: 8, memory: 16 });
    expect(domainOf(json, 'Workers_Node2')).toMatchObject({ vcpu: 2, memory: 1 });
  });

  test('addresses nodes by index and by name', () => {
    const { stack } = lab();
    const cluster = new VmCluster(stack, 'Workers', { count: 3 });
    expect(cluster.nodeAt(1).guestName).toBe('workers-2');
    expect(cluster.nodeNamed('workers-3')).toBe(cluster.nodes[2]);
    expect(cluster.nodeAt(2).memberIndex).toBe(2);
  });

  test('throws on an unknown node index or name', () => {
    const { stack } = lab();
    const cluster = new VmCluster(stack, 'Workers', { count: 2 });
    expect(() => cluster.nodeAt(2)).toThrow(/Lab\/Workers: 'index' must be an integer between 0 and 1, got 2/);
    expect(() => cluster.nodeNamed('workers-9')).toThrow(/'name' must be the name of a node \(workers-1, workers-2\), got "workers-9"/);
  });

  test('outputs the node names and their addresses', () => {
    const { stack, pool, net } = lab();
    new VmCluster(stack, 'Workers', { count: 2, pools: [pool], networks: [net] });
    const outputs = synthJson(stack).output;
    const names = Object.entries<any>(outputs).find(([k]) => k.startsWith('Workers_Names'))![1];
    const addresses = Object.entries<any>(outputs).find(([k]) => k.startsWith('Workers_Addresses'))![1];
    expect(names.value).toEqual(['workers-1', 'workers-2']);
    expect(addresses.value).toEqual({ 'workers-1': '10.10.0.2', 'workers-2': '10.10.0.3' });
  });

  test('adds no outputs when turned off', () => {
    const { stack } = lab();
    new VmCluster(stack, 'Workers', { count: 1, outputs: false });
    expect(synthJson(stack).output).toBeUndefined();
  });

  test('uses DHCP when asked', () => {
    const { stack, pool, net } = lab();
    const cluster = new VmCluster(stack, 'Workers', { count: 2, pools: [pool], networks: [net], ipAssignment: IpAssignment.dhcp() });
    expect(cluster.nodes.flatMap((n) => n.addresses)).toEqual([]);
  });

  test('reserves fixed addresses given per node', () => {
    const { stack, pool, net } = lab();
    const cluster = new VmCluster(stack, 'Workers', { count: 2, pools: [pool], networks: [net], nodeOverrides: [{ index: 1, addresses: ['10.10.0.77'] }] });
    expect(cluster.nodes.map((n) => n.addresses[0])).toEqual(['10.10.0.2', '10.10.0.77']);
  });

  test('throws when a node\'s address is outside its subnet', () => {
    const { stack, pool, net } = lab();
    expect(() => new VmCluster(stack, 'Workers', { count: 2, pools: [pool], networks: [net], nodeOverrides: [{ index: 1, addresses: ['192.168.1.5'] }] }))
      .toThrow(/Lab\/Workers\/Node2: 'nics\[0\].ipAssignment' must be an address inside 10.10.0.0\/24 \(the subnet of network Lab\/Net\), got "192.168.1.5"/);
  });

  test('throws on a fixed address shared by all nodes', () => {
    const { stack } = lab();
    expect(() => new VmCluster(stack, 'Workers', { count: 2, ipAssignment: IpAssignment.fixed('10.10.0.5') }))
      .toThrow(/'ipAssignment' must be IpAssignment.allocate\(\) or IpAssignment.dhcp\(\), got "10.10.0.5"/);
  });

  test('throws on zero nodes', () => {
    const { stack } = lab();
    expect(() => new VmCluster(stack, 'Workers', { count: 0 })).toThrow(/Lab\/Workers: 'count' must be an integer between 1 and 999, got 0/);
  });

  test('throws on an override index out of range or given twice', () => {
    const { stack } = lab();
    expect(() => new VmCluster(stack, 'A', { count: 2, nodeOverrides: [{ index: 2 }] }))
      .toThrow(/'nodeOverrides\[0\].index' must be an integer between 0 and 1, got 2/);
    expect(() => new VmCluster(stack, 'B', { count: 2, nodeOverrides: [{ index: 1 }, { index: 1 }] }))
      .toThrow(/'nodeOverrides\[1\].index' must be an index not overridden twice, got 1/);
  });

  test('throws when the nodes need volumes but there is no pool', () => {
    const { stack, image } = lab();
    expect(() => new VmCluster(stack, 'Workers', { count: 1, bootImage: image }))
      .toThrow(/Lab\/Workers: 'pools' must be a list with a pool on host Lab\/Kvm01, where node workers-1 is placed, got \[\]/);
  });

  test('throws when a node\'s memory is zero', () => {
    const { stack } = lab();
    expect(() => new VmCluster(stack, 'Workers', { count: 1, memory: Size.bytes(0) })).toThrow(/Lab\/Workers\/Node1: 'memory' must be a size larger than 0/);
  });

  test('throws when the nodes need more vCPUs than the host has', () => {
    const { stack } = lab({ inventory: { cpuThreads: 10 } });
    expect(() => new VmCluster(stack, 'Workers', { count: 3, vcpus: 4 }))
      .toThrow(/Lab\/Workers\/Node3: 'vcpus' must be within the vCPU capacity of host Lab\/Kvm01 \(10 threads × overcommit 1 = 10\), got 4. The guests on that host would need 12 vCPUs: Lab\/Workers\/Node1 \(4\), Lab\/Workers\/Node2 \(4\), Lab\/Workers\/Node3 \(4\)/);
  });

  test('throws when two clusters would give a host the same guest name', () => {
    const { stack } = lab();
    new VmCluster(stack, 'A', { count: 1, namePrefix: 'web' });
    expect(() => new VmCluster(stack, 'B', { count: 1, namePrefix: 'web' }))
      .toThrow(/Lab\/B\/Node1: 'name' must be a domain name not already used on host Lab\/Kvm01, got "web-1". It is already claimed by Lab\/A\/Node1/);
  });

  test('adds a data disk to every node with addDisk', () => {
    const { stack, pool } = lab();
    const cluster = new VmCluster(stack, 'Workers', { count: 2, pools: [pool] });
    const disks = cluster.addDisk('data', { size: Size.gibibytes(10) });
    expect(disks.map((d) => d.device)).toEqual(['vda', 'vda']);
    const names = Object.values<any>(resources(synthJson(stack), 'libvirt_volume')).map((v) => v.name).sort();
    expect(names).toEqual(['workers-1-data.qcow2', 'workers-2-data.qcow2']);
  });

  test('throws when cluster disks name a volume or a pool', () => {
    const { stack, pool } = lab();
    expect(() => new VmCluster(stack, 'A', { count: 2, pools: [pool], disks: [{ name: 'data', size: Size.gibibytes(1), pool }] }))
      .toThrow(/Lab\/A: 'disks\[0\].pool' must be left out in a cluster, got "Lab\/Pool"/);
    const cluster = new VmCluster(stack, 'B', { count: 1, pools: [pool] });
    expect(() => cluster.addDisk('data', { size: Size.gibibytes(1), pool })).toThrow(/'disks.data.pool' must be left out in a cluster/);
  });

  test('binds devices to every node with its member index', () => {
    const { stack } = lab();
    const device = new FakeDevice({});
    const cluster = new VmCluster(stack, 'Workers', { count: 2, devices: [device] });
    expect(device.guests.map((g) => g.memberIndex)).toEqual([0, 1]);
    expect(device.guests).toEqual(cluster.nodes);
  });
});

describe('VmCluster shape', () => {
  test('synthesizes a three-node cluster as recorded', () => {
    const { stack, pool, net, image } = lab();
    new VmCluster(stack, 'Workers', { count: 3, pools: [pool], networks: [net], bootImage: image, vcpus: 2, cloudInit: {} });
    // Only this area's resources: pools, volumes and networks have their own snapshots.
    const json = synthJson(stack);
    expect({ domains: json.resource.libvirt_domain, seeds: json.resource.libvirt_cloudinit_disk, outputs: json.output }).toMatchSnapshot();
  });
});

describe('VmCluster scale-out stability', () => {
  test('adding a node leaves nodes 1-3 byte-identical', () => {
    const three = synthCluster(3);
    const four = synthCluster(4);
    for (const n of [1, 2, 3]) {
      expect(Object.keys(nodeResources(three, n)).length).toBeGreaterThan(3);
      expect(JSON.stringify(nodeResources(four, n))).toBe(JSON.stringify(nodeResources(three, n)));
    }
    expect(Object.keys(nodeResources(four, 4)).length).toBeGreaterThan(0);
  });

  test('removing the last node removes only its resources', () => {
    const four = synthCluster(4);
    const three = synthCluster(3);
    const ids = (json: any) => Object.entries<any>(json.resource).flatMap(([type, byId]) => Object.keys(byId).map((id) => `${type}.${id}`)).sort();
    const removed = ids(four).filter((id) => !ids(three).includes(id));
    expect(removed.length).toBeGreaterThan(0);
    expect(removed.every((id) => id.includes('Workers_Node4_'))).toBe(true);
    expect(ids(three).every((id) => ids(four).includes(id))).toBe(true);
  });

  test('3 -> 4 -> 3 nodes synthesizes the original nodes again', () => {
    const before = synthCluster(3);
    synthCluster(4);
    const after = synthCluster(3);
    expect(after.resource.libvirt_domain).toEqual(before.resource.libvirt_domain);
    expect(after.resource.libvirt_volume).toEqual(before.resource.libvirt_volume);
  });
});

describe('VmCluster on several hosts', () => {
  function twoHosts(inventory?: { cpuThreads: number }) {
    const l = lab(inventory ? { inventory } : {});
    const b = secondHost(l.stack, 'Kvm02', inventory ? { inventory } : {});
    return { ...l, host2: b.host, pool2: b.pool, net2: b.net };
  }

  test('spreads nodes round-robin over the hosts', () => {
    const { stack, host, host2 } = twoHosts();
    const cluster = new VmCluster(stack, 'Workers', { count: 3, hosts: [host, host2] });
    expect(cluster.nodes.map((n) => n.host)).toEqual([host, host2, host]);
    const json = synthJson(stack);
    expect(domainOf(json, 'Workers_Node2').provider).toBe('libvirt.kvm02');
  });

  test('puts each node\'s volumes and NICs on its own host', () => {
    const { stack, host, host2, pool, pool2, net, net2, image } = twoHosts();
    new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], pools: [pool, pool2], networks: [net, net2], bootImage: image });
    const json = synthJson(stack);
    const vols = resources(json, 'libvirt_volume');
    const boot2 = Object.entries<any>(vols).find(([k]) => k.startsWith('Workers_Node2_BootDisk'))![1];
    expect(boot2.provider).toBe('libvirt.kvm02');
    expect(boot2.pool).toMatch(/^\$\{libvirt_pool\.Kvm02Pool_[0-9A-F]{8}\.name\}$/);
    expect(Object.values<any>(vols).filter((v) => v.name === 'noble.qcow2').map((v) => v.provider).sort()).toEqual(['libvirt.kvm01', 'libvirt.kvm02']);
    expect(domainOf(json, 'Workers_Node2').devices.interfaces[0].source.network.network).toMatch(/^\$\{libvirt_network\.Kvm02Net_[0-9A-F]{8}\.name\}$/);
  });

  test('pins a node to a host', () => {
    const { stack, host, host2 } = twoHosts();
    const cluster = new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], nodeOverrides: [{ index: 0, host: host2 }, { index: 1, host }] });
    expect(cluster.nodes.map((n) => n.host)).toEqual([host2, host]);
  });

  test('throws when pins break anti-affinity', () => {
    const { stack, host, host2 } = twoHosts();
    expect(() => new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], nodeOverrides: [{ index: 1, host }] }))
      .toThrow(/Lab\/Workers: 'nodeOverrides' must be a placement with at most 1 nodes on host Lab\/Kvm01 \(anti-affinity\), got \["workers-1", "workers-2"\]/);
  });

  test('allows pinning nodes together when anti-affinity is off', () => {
    const { stack, host, host2 } = twoHosts();
    const cluster = new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], antiAffinity: false, nodeOverrides: [{ index: 1, host }] });
    expect(cluster.nodes.map((n) => n.host)).toEqual([host, host]);
  });

  test('throws when a pinned host is not one of the cluster\'s hosts', () => {
    const { stack, host, host2 } = twoHosts();
    expect(() => new VmCluster(stack, 'Workers', { count: 1, hosts: [host], nodeOverrides: [{ index: 0, host: host2 }] }))
      .toThrow(/'nodeOverrides\[0\].host' must be one of the cluster's hosts \(Lab\/Kvm01\), got "Lab\/Kvm02"/);
  });

  test('throws when a node\'s host has no network of the cluster', () => {
    const { stack, host, host2, net } = twoHosts();
    expect(() => new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], networks: [net] }))
      .toThrow(/Lab\/Workers: 'networks' must be a list with a network on host Lab\/Kvm02, where node workers-2 is placed, got \["Lab\/Net"\]/);
  });

  test('throws when a node\'s host has no pool of the cluster', () => {
    const { stack, host, host2, pool, image } = twoHosts();
    expect(() => new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], pools: [pool], bootImage: image }))
      .toThrow(/'pools' must be a list with a pool on host Lab\/Kvm02, where node workers-2 is placed/);
  });

  test('throws when an overridden pool is on another host than its node', () => {
    const { stack, host, host2, pool, pool2, image } = twoHosts();
    expect(() => new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], pools: [pool, pool2], bootImage: image, nodeOverrides: [{ index: 0, pool: pool2 }] }))
      .toThrow(/Lab\/Workers\/Node1: 'pool' must be on the guest's host Lab\/Kvm01, got "Lab\/Kvm02Pool". It is on host Lab\/Kvm02/);
  });

  test('throws when an overridden network is on another host than its node', () => {
    const { stack, host, host2, net, net2 } = twoHosts();
    expect(() => new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], networks: [net, net2], nodeOverrides: [{ index: 1, networks: [net] }] }))
      .toThrow(/Lab\/Workers\/Node2: 'nics\[0\].network' must be on the guest's host Lab\/Kvm02, got "Lab\/Net"/);
  });

  test('throws when two pools are on the same host', () => {
    const { stack, host, pool, host2 } = twoHosts();
    const extra = new StoragePool(stack, 'Extra', { host });
    expect(() => new VmCluster(stack, 'Workers', { count: 1, hosts: [host, host2], pools: [pool, extra] }))
      .toThrow(/'pools\[1\]' must be the only pool on host Lab\/Kvm01, got "Lab\/Extra". Lab\/Pool is on that host too/);
  });

  test('checks capacity per host across the cluster', () => {
    const { stack, host, host2 } = twoHosts({ cpuThreads: 8 });
    expect(() => new VmCluster(stack, 'A', { count: 4, vcpus: 4, hosts: [host, host2] })).not.toThrow();
    expect(() => new VmCluster(stack, 'B', { count: 1, vcpus: 1, hosts: [host, host2] }))
      .toThrow(/Lab\/B\/Node1: 'vcpus' must be within the vCPU capacity of host Lab\/Kvm01/);
  });

  test('throws when the hosts are listed twice', () => {
    const { stack, host } = twoHosts();
    expect(() => new VmCluster(stack, 'Workers', { count: 1, hosts: [host, host] })).toThrow(/'hosts' must be a list of distinct hosts/);
  });

  test('synthesizes with validations on', () => {
    const { stack, host, host2, pool, pool2, net, net2, image } = twoHosts();
    new VmCluster(stack, 'Workers', { count: 2, hosts: [host, host2], pools: [pool, pool2], networks: [net, net2], bootImage: image, cloudInit: {} });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(LibvirtHost.isLibvirtHost(host2)).toBe(true);
  });
});
