import { Testing, Token } from 'cdktf';
import { logicalIdOf, newStack, resourceOf, synthJson, triggerEntryOf, warningsOf } from './util';
import { LibvirtHost, ReplaceTrigger, Size } from '../../src/core';
import { Pool } from '../../src/imports/libvirt/pool';
import {
  DiskLabelFormat, FileSystemFormat, NetworkFileSystemFormat, PoolSource, PoolType, StoragePool, StorageSecret,
} from '../../src/storage';

describe('StoragePool', () => {
  describe('dir pools', () => {
    test('defaults to a dir pool under /var/lib/libvirt/images named after the construct id', () => {
      // GIVEN
      const { stack } = newStack();
      // WHEN
      new StoragePool(stack, 'FastImages');
      // THEN
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        name: 'fast-images',
        type: 'dir',
        target: { path: '/var/lib/libvirt/images/fast-images' },
      });
    });

    test('uses the given name and target path', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images', { name: 'vm-images', targetPath: '/srv/vms' });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        name: 'vm-images',
        target: { path: '/srv/vms' },
      });
    });

    test('accepts a token name and derives the default target path from it', () => {
      const { stack } = newStack();
      const name = Token.asString({ Ref: 'var.pool_name' });
      const pool = new StoragePool(stack, 'Images', { name });
      expect(pool.targetPath).toBe(`/var/lib/libvirt/images/${name}`);
    });

    test('renders build, start and autostart explicitly, all true by default', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images');
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        create: { build: true, start: true, autostart: true },
      });
    });

    test('deletes an (empty) dir pool directory on destroy by default', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images');
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, { destroy: { delete: true } });
    });

    test('renders lifecycle controls as given', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images', { buildOnCreate: false, start: false, autostart: false, deleteOnDestroy: false });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        create: { build: false, start: false, autostart: false },
        destroy: { delete: false },
      });
    });

    test('uses the host\'s provider', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images');
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, { provider: 'libvirt.kvm01' });
    });

    test('names its pool resource Resource and exposes it as the default child', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(pool.node.defaultChild).toBe(pool.resource);
      expect(pool.dependable).toBe(pool.resource);
    });

    test('exposes poolName as a reference to the pool resource', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(Token.isUnresolved(pool.poolName)).toBe(true);
    });
  });

  describe('replacement', () => {
    test('keeps its definition in the stack\'s terraform_data resource that triggers replacement', () => {
      // GIVEN
      const { stack } = newStack();
      // WHEN
      new StoragePool(stack, 'Images');
      // THEN
      const json = synthJson(stack);
      const poolId = logicalIdOf(json, 'libvirt_pool', 'Images');
      expect(resourceOf(json, 'libvirt_pool', 'Images').lifecycle.replace_triggered_by)
        .toEqual([`terraform_data.LibvirtReplaceTriggers.input.${poolId}`]);
      expect(triggerEntryOf(json, 'libvirt_pool', 'Images')).toEqual({
        name: 'images',
        type: 'dir',
        target_path: '/var/lib/libvirt/images/images',
      });
    });

    test('writes its definition as one JSON text with its keys in order', () => {
      // GIVEN
      const { stack } = newStack();
      // WHEN
      new StoragePool(stack, 'Images');
      // THEN
      const json = synthJson(stack);
      expect(json.resource.terraform_data.LibvirtReplaceTriggers.input[logicalIdOf(json, 'libvirt_pool', 'Images')])
        .toBe('{"name":"images","target_path":"/var/lib/libvirt/images/images","type":"dir"}');
    });

    test('refers to the trigger by a plain address that follows a logical id overridden first', () => {
      const { stack } = newStack();
      ReplaceTrigger.of(stack).overrideLogicalId('images_trigger');
      new StoragePool(stack, 'Images');
      const json = synthJson(stack);
      expect(resourceOf(json, 'libvirt_pool', 'Images').lifecycle.replace_triggered_by)
        .toEqual([`terraform_data.images_trigger.input.${logicalIdOf(json, 'libvirt_pool', 'Images')}`]);
      expect(Object.keys(json.resource.terraform_data)).toEqual(['images_trigger']);
    });

    test('throws when the trigger is renamed after a pool is tracked', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(() => pool.replaceTrigger.overrideLogicalId('images_trigger'))
        .toThrow(/LibvirtReplaceTriggers: 'logicalId' must be set before any pool, volume or network is tracked, got "images_trigger"/);
    });

    test('puts the source of a pool in its replacement trigger', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Nas', { source: PoolSource.nfs({ host: 'nas01.lab', exportPath: '/export/vms' }) });
      const json = synthJson(stack);
      expect(triggerEntryOf(json, 'libvirt_pool', 'Nas').source).toEqual({
        host: [{ name: 'nas01.lab' }],
        dir: { path: '/export/vms' },
        format: { type: 'nfs' },
      });
    });

    test('ignores later changes to the create and destroy controls', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images');
      const json = synthJson(stack);
      expect(resourceOf(json, 'libvirt_pool', 'Images').lifecycle.ignore_changes).toEqual(['create', 'destroy']);
    });

    test('leaves the lifecycle controls out of its replacement trigger', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images', { autostart: false, deleteOnDestroy: false });
      const json = synthJson(stack);
      const input = triggerEntryOf(json, 'libvirt_pool', 'Images');
      expect(Object.keys(input).sort()).toEqual(['name', 'target_path', 'type']);
    });
  });

  describe('pool types', () => {
    test('renders an fs pool with its device and file system', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Local', { source: PoolSource.fs({ device: '/dev/sdb1', format: FileSystemFormat.XFS }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        type: 'fs',
        source: { device: [{ path: '/dev/sdb1' }], format: { type: 'xfs' } },
        target: { path: '/var/lib/libvirt/images/local' },
        create: expect.objectContaining({ build: true }),
        destroy: { delete: false },
      });
    });

    test('lets mount auto-detect an fs pool\'s file system by default', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Local', { source: PoolSource.fs({ device: '/dev/sdb1' }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        source: expect.objectContaining({ format: { type: 'auto' } }),
      });
    });

    test('renders an NFS pool as a netfs pool mounted under /var/lib/libvirt/images', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Nas', { source: PoolSource.nfs({ host: 'nas01.lab', exportPath: '/export/vms', protocolVersion: '4.2' }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        type: 'netfs',
        source: {
          host: [{ name: 'nas01.lab' }],
          dir: { path: '/export/vms' },
          format: { type: 'nfs' },
          protocol: { version: '4.2' },
        },
        target: { path: '/var/lib/libvirt/images/nas' },
        destroy: { delete: false },
      });
    });

    test('renders a CIFS netfs pool', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Smb', {
        source: PoolSource.netfs({ host: '10.0.0.5', exportPath: 'vms', format: NetworkFileSystemFormat.CIFS }),
        targetPath: '/mnt/smb',
      });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        type: 'netfs',
        source: { host: [{ name: '10.0.0.5' }], dir: { path: 'vms' }, format: { type: 'cifs' } },
        target: { path: '/mnt/smb' },
      });
    });

    test('renders a logical pool on an existing volume group without building it', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Fast', { source: PoolSource.logical({ volumeGroup: 'vg_nvme' }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        type: 'logical',
        source: { name: 'vg_nvme', format: { type: 'lvm2' } },
        target: { path: '/dev/vg_nvme' },
        create: { build: false, start: true, autostart: true },
        destroy: { delete: false },
      });
    });

    test('builds a logical pool given physical volumes', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Fast', { source: PoolSource.logical({ devices: ['/dev/nvme0n1', '/dev/nvme1n1'] }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        source: { name: 'fast', device: [{ path: '/dev/nvme0n1' }, { path: '/dev/nvme1n1' }], format: { type: 'lvm2' } },
        create: expect.objectContaining({ build: true }),
      });
    });

    test('renders a disk pool that is not built (relabelled) by default', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Scratch', { source: PoolSource.disk({ device: '/dev/sdc' }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        type: 'disk',
        source: { device: [{ path: '/dev/sdc' }], format: { type: 'gpt' } },
        target: { path: '/dev' },
        create: expect.objectContaining({ build: false }),
        destroy: { delete: false },
      });
    });

    test('renders a disk pool with a DOS partition table', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Scratch', { source: PoolSource.disk({ device: '/dev/sdc', format: DiskLabelFormat.DOS }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        source: expect.objectContaining({ format: { type: 'dos' } }),
      });
    });

    test('renders an iscsi pool with portal, target, initiator and CHAP secret', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'San', {
        source: PoolSource.iscsi({
          host: 'san01.lab',
          port: 3261,
          targetIqn: 'iqn.2013-06.com.example:san.lab',
          initiatorIqn: 'iqn.1994-05.com.redhat:kvm01',
          chap: { username: 'kvm01', secret: StorageSecret.fromUsage('san-chap') },
        }),
      });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        type: 'iscsi',
        source: {
          host: [{ name: 'san01.lab', port: '3261' }],
          device: [{ path: 'iqn.2013-06.com.example:san.lab' }],
          initiator: { iqn: { name: 'iqn.1994-05.com.redhat:kvm01' } },
          auth: { type: 'chap', username: 'kvm01', secret: { usage: 'san-chap' } },
        },
        target: { path: '/dev/disk/by-path' },
        create: expect.objectContaining({ build: false }),
        destroy: { delete: false },
      });
    });

    test('renders an rbd pool with monitors, Ceph pool and a secret reference', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Ceph', {
        source: PoolSource.rbd({
          monitors: ['mon1.lab', 'mon2.lab:6789', '[fd00::3]:3300'],
          cephPool: 'libvirt',
          auth: { username: 'libvirt', secret: StorageSecret.fromUuid('2ec115d7-3a88-3ceb-bc12-0ac909a6fd87') },
        }),
      });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        type: 'rbd',
        source: {
          name: 'libvirt',
          host: [{ name: 'mon1.lab' }, { name: 'mon2.lab', port: '6789' }, { name: 'fd00::3', port: '3300' }],
          auth: { type: 'ceph', username: 'libvirt', secret: { uuid: '2ec115d7-3a88-3ceb-bc12-0ac909a6fd87' } },
        },
        create: expect.objectContaining({ build: false }),
        destroy: { delete: false },
      });
    });

    test('gives an rbd pool no target path', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Ceph', {
        source: PoolSource.rbd({ monitors: ['mon1'], cephPool: 'rbd', auth: { username: 'libvirt', secret: StorageSecret.fromUsage('ceph') } }),
      });
      expect(resourceOf(synthJson(stack), 'libvirt_pool', 'Ceph').target).toBeUndefined();
    });

    test('renders a zfs pool on an existing zpool named after the pool', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Tank');
      new StoragePool(stack, 'Zvols', { source: PoolSource.zfs() });
      const pool = resourceOf(synthJson(stack), 'libvirt_pool', 'Zvols');
      expect(pool.type).toBe('zfs');
      expect(pool.source).toEqual({ name: 'zvols' });
      expect(pool.target).toBeUndefined();
      expect(pool.create.build).toBe(false);
    });

    test('builds a zfs pool given devices', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Zvols', { source: PoolSource.zfs({ zpool: 'tank', devices: ['/dev/sdd'] }) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Pool, {
        source: { name: 'tank', device: [{ path: '/dev/sdd' }] },
        create: expect.objectContaining({ build: true }),
      });
    });

    test('reports its type', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Fast', { source: PoolSource.logical() });
      expect(pool.poolType).toBe(PoolType.LOGICAL);
    });
  });

  describe('checks', () => {
    test('throws when the target path is relative', () => {
      const { stack } = newStack();
      expect(() => new StoragePool(stack, 'Images', { targetPath: 'images' }))
        .toThrow(/Lab\/Images: 'targetPath' must be an absolute path .*got "images"/);
    });

    test('throws when an rbd pool is given a target path', () => {
      const { stack } = newStack();
      expect(() => new StoragePool(stack, 'Ceph', {
        source: PoolSource.rbd({ monitors: ['mon1'], cephPool: 'rbd', auth: { username: 'u', secret: StorageSecret.fromUsage('s') } }),
        targetPath: '/dev/rbd',
      })).toThrow(/'targetPath' must be unset for a rbd pool, got "\/dev\/rbd". rbd pools have no path on the host./);
    });

    test('throws when the name is not a valid libvirt name', () => {
      const { stack } = newStack();
      expect(() => new StoragePool(stack, 'Images', { name: 'my pool' })).toThrow(/'name' must be 1-64 characters/);
    });

    test('throws when two pools on a host have the same name, naming both', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images');
      expect(() => new StoragePool(stack, 'Other', { name: 'images' }))
        .toThrow(/Lab\/Other: 'name' must be a pool name not already used on host Lab\/Kvm01, got "images". It is already claimed by Lab\/Images./);
    });

    test('allows the same pool name on two hosts', () => {
      const { stack, host } = newStack();
      const kvm02 = new LibvirtHost(stack, 'Kvm02');
      new StoragePool(stack, 'Images', { host });
      expect(() => new StoragePool(stack, 'Images2', { host: kvm02, name: 'images' })).not.toThrow();
    });

    test('throws when two file pools on a host share a target path', () => {
      const { stack } = newStack();
      new StoragePool(stack, 'Images', { targetPath: '/srv/vms' });
      expect(() => new StoragePool(stack, 'Other', { targetPath: '/srv/vms/' }))
        .toThrow(/'targetPath' must be a pool target path not already used on host Lab\/Kvm01, got "\/srv\/vms". It is already claimed by Lab\/Images./);
    });

    test('throws when a zfs pool\'s name is not a zpool name and no zpool is given', () => {
      const { stack } = newStack();
      expect(() => new StoragePool(stack, 'Tank', { name: '1tank', source: PoolSource.zfs() }))
        .toThrow(/Lab\/Tank: 'name' must be a valid zpool name \(starting with a letter\) when no zpool is given, got "1tank"/);
    });

    test('throws when the source is not a PoolSource', () => {
      const { stack } = newStack();
      expect(() => new StoragePool(stack, 'Images', { source: 'dir' as any })).toThrow(/'source' must be a PoolSource/);
    });

    test('warns that deleting a logical pool on destroy removes its volume group', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Fast', { source: PoolSource.logical(), deleteOnDestroy: true });
      expect(warningsOf(pool)).toEqual([expect.stringMatching(/deletes its volume group and all data in it/)]);
    });

    test('does not warn for a dir pool that is deleted on destroy', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(warningsOf(pool)).toEqual([]);
    });
  });

  describe('addVolume', () => {
    test('adds a volume in the pool as a child of the pool', () => {
      // GIVEN
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      // WHEN
      const vol = pool.addVolume('Data', { capacity: Size.gibibytes(5) });
      // THEN
      expect(vol.pool).toBe(pool);
      expect(vol.node.path).toBe('Lab/Images/Data');
      expect(resourceOf(synthJson(stack), 'libvirt_volume', 'Images_Data')).toMatchObject({ name: 'data.qcow2', capacity: 5, capacity_unit: 'GiB' });
    });
  });

  describe('fromPoolName', () => {
    test('refers to an existing pool by name without creating a resource', () => {
      const { stack, host } = newStack();
      const pool = StoragePool.fromPoolName(stack, 'Default', host, 'default');
      expect(pool.poolName).toBe('default');
      expect(pool.host).toBe(host);
      expect(pool.dependable).toBeUndefined();
      expect(synthJson(stack).resource?.libvirt_pool).toBeUndefined();
    });

    test('throws when the pool name is empty', () => {
      const { stack, host } = newStack();
      expect(() => StoragePool.fromPoolName(stack, 'Default', host, '')).toThrow(/Lab\/Default: 'poolName' must be the name of an existing pool/);
    });

    test('throws when an imported pool declares an unknown type', () => {
      const { stack } = newStack();
      expect(() => StoragePool.fromPoolAttributes(stack, 'Default', { poolName: 'default', poolType: 'lvm' as any }))
        .toThrow(/'poolType' must be one of "dir", "fs"/);
    });
  });
});
