import { Testing, Token } from 'cdktf';
import { logicalIdOf, newStack, resourceOf, synthJson, triggerEntryOf } from './util';
import { LibvirtHost, Size, VolumeFormat } from '../../src/core';
import { Volume as VolumeResource } from '../../src/imports/libvirt/volume';
import { ImageSource, PoolSource, PoolType, StoragePool, StorageSecret, Volume } from '../../src/storage';

describe('Volume', () => {
  describe('blank volumes', () => {
    test('renders capacity as capacity and capacity_unit in the largest exact unit', () => {
      // GIVEN
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      // WHEN
      new Volume(stack, 'Data', { pool, capacity: Size.mebibytes(1536) });
      // THEN
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { capacity: 1536, capacity_unit: 'MiB' });
    });

    test('renders a capacity that is not a whole KiB in bytes', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, capacity: Size.bytes(1000) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { capacity: 1000, capacity_unit: 'bytes' });
    });

    test('defaults to qcow2, set as target.format.type', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const vol = new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      expect(vol.format).toBe(VolumeFormat.QCOW2);
      const json = synthJson(stack);
      const res = resourceOf(json, 'libvirt_volume', 'Data');
      expect(res.target).toEqual({ format: { type: 'qcow2' } });
      expect(res.format).toBeUndefined();
    });

    test('renders a raw volume', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10), format: VolumeFormat.RAW });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, {
        name: 'data.img',
        target: { format: { type: 'raw' } },
      });
    });

    test('names the volume after its id with the format\'s extension', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'PgData', { pool, capacity: Size.gibibytes(10) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { name: 'pg-data.qcow2' });
    });

    test('uses the given name', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, name: 'web-data.qcow2', capacity: Size.gibibytes(10) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { name: 'web-data.qcow2' });
    });

    test('refers to its pool by the pool resource\'s name', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      const json = synthJson(stack);
      const poolId = logicalIdOf(json, 'libvirt_pool', 'Images');
      expect(resourceOf(json, 'libvirt_volume', 'Data').pool).toBe(`\${libvirt_pool.${poolId}.name}`);
    });

    test('creates volumes in an imported pool by its name', () => {
      const { stack, host } = newStack();
      const pool = StoragePool.fromPoolName(stack, 'Default', host, 'default');
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, {
        pool: 'default',
        provider: 'libvirt.kvm01',
        target: { format: { type: 'qcow2' } },
      });
    });

    test('uses the provider of its pool\'s host', () => {
      const { stack } = newStack();
      const kvm02 = new LibvirtHost(stack, 'Kvm02', { uri: 'qemu+ssh://root@kvm02/system' });
      const pool = new StoragePool(stack, 'Images', { host: kvm02 });
      const vol = new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      expect(vol.host).toBe(kvm02);
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { provider: 'libvirt.kvm02' });
    });

    test('exposes name, path and the resource as references', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const vol = new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      expect(Token.isUnresolved(vol.volumeName)).toBe(true);
      expect(Token.isUnresolved(vol.volumePath)).toBe(true);
      expect(vol.dependable).toBe(vol.resource);
      expect(vol.node.defaultChild).toBe(vol.resource);
    });

    test('is not protected from destroy by default', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      expect(resourceOf(synthJson(stack), 'libvirt_volume', 'Data').lifecycle.prevent_destroy).toBeUndefined();
    });

    test('sets prevent_destroy when protected', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10), protect: true });
      expect(resourceOf(synthJson(stack), 'libvirt_volume', 'Data').lifecycle.prevent_destroy).toBe(true);
    });
  });

  describe('uploads', () => {
    test('uploads content from a URL with create.content.url', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Debian', { pool, source: ImageSource.url('https://cdimage.debian.org/debian-12.qcow2') });
      const res = resourceOf(synthJson(stack), 'libvirt_volume', 'Debian');
      expect(res.create).toEqual({ content: { url: 'https://cdimage.debian.org/debian-12.qcow2' } });
      expect(res.capacity).toBeUndefined();
    });

    test('uploads a local file by its absolute path', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Golden', { pool, source: ImageSource.file('/srv/images/golden.qcow2'), capacity: Size.gibibytes(8) });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, {
        create: { content: { url: '/srv/images/golden.qcow2' } },
        capacity: 8,
        capacity_unit: 'GiB',
      });
    });

    test('uploads content from a token, e.g. a cloud-init disk\'s path', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Seed', { pool, source: ImageSource.file(Token.asString({ Ref: 'x' })), format: VolumeFormat.ISO });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { target: { format: { type: 'iso' } } });
    });

    test('treats an upload ending in .iso as an ISO volume', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const vol = new Volume(stack, 'Installer', { pool, source: ImageSource.url('https://x.lab/netinst.iso') });
      expect(vol.format).toBe(VolumeFormat.ISO);
      expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, {
        name: 'installer.iso',
        target: { format: { type: 'iso' } },
      });
    });
  });

  describe('linked clones', () => {
    test('renders a qcow2 overlay whose backing store is the base volume\'s path', () => {
      // GIVEN
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, source: ImageSource.url('https://x.lab/noble.img') });
      // WHEN
      new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(20), backingStore: base });
      // THEN
      const json = synthJson(stack);
      const baseId = logicalIdOf(json, 'libvirt_volume', 'Base');
      const root = resourceOf(json, 'libvirt_volume', 'Root');
      expect(root.backing_store).toEqual({ path: `\${libvirt_volume.${baseId}.path}`, format: { type: 'qcow2' } });
      expect(root.target).toEqual({ format: { type: 'qcow2' } });
      expect([root.capacity, root.capacity_unit]).toEqual([20, 'GiB']);
    });

    test('names the base\'s format as the backing format', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, capacity: Size.gibibytes(10), format: VolumeFormat.RAW });
      new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(20), backingStore: base });
      expect(resourceOf(synthJson(stack), 'libvirt_volume', 'Root').backing_store.format).toEqual({ type: 'raw' });
    });

    test('defaults a clone\'s capacity to its base\'s known size', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, capacity: Size.gibibytes(10) });
      const root = new Volume(stack, 'Root', { pool, backingStore: base });
      expect(root.capacity?.toGibibytes()).toBe(10);
    });

    test('throws when a clone is smaller than its base', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, capacity: Size.gibibytes(10) });
      expect(() => new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(5), backingStore: base }))
        .toThrow(/Lab\/Root: 'capacity' must be at least the size of the base Lab\/Base \(10GiB\), got 5GiB. A linked clone cannot be smaller/);
    });

    test('throws when a clone has no capacity and its base\'s size is unknown', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, source: ImageSource.url('https://x.lab/noble.img') });
      expect(() => new Volume(stack, 'Root', { pool, backingStore: base }))
        .toThrow(/'capacity' must be set for a linked clone whose base size is not known at synth, got undefined/);
    });

    test('throws when a clone is not qcow2', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, capacity: Size.gibibytes(10) });
      expect(() => new Volume(stack, 'Root', { pool, backingStore: base, format: VolumeFormat.RAW }))
        .toThrow(/'format' must be VolumeFormat.QCOW2 for a linked clone, got "raw"/);
    });

    test('throws when the base is on another host', () => {
      const { stack, host } = newStack();
      const kvm02 = new LibvirtHost(stack, 'Kvm02');
      const base = new Volume(stack, 'Base', { pool: new StoragePool(stack, 'Images', { host }), capacity: Size.gibibytes(10) });
      const pool2 = new StoragePool(stack, 'Images2', { host: kvm02 });
      expect(() => new Volume(stack, 'Root', { pool: pool2, backingStore: base }))
        .toThrow(/'backingStore' must be a volume on host Lab\/Kvm02, got "Lab\/Base". It is on host Lab\/Kvm01/);
    });

    test('throws when the base is an ISO image', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const iso = new Volume(stack, 'Iso', { pool, source: ImageSource.url('https://x.lab/a.iso') });
      expect(() => new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(10), backingStore: iso }))
        .toThrow(/'backingStore' must be a qcow2 or raw volume, got "Lab\/Iso"/);
    });

    test('throws when both a backing store and a source are given', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, capacity: Size.gibibytes(10) });
      expect(() => new Volume(stack, 'Root', { pool, backingStore: base, source: ImageSource.url('https://x.lab/a.img') }))
        .toThrow(/'source' must be unset when 'backingStore' is set/);
    });
  });

  describe('block pools', () => {
    test('creates raw volumes without a target format in a logical pool', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Fast', { source: PoolSource.logical({ volumeGroup: 'vg0' }) });
      const vol = new Volume(stack, 'PgData', { pool, capacity: Size.gibibytes(50) });
      expect(vol.format).toBe(VolumeFormat.RAW);
      const res = resourceOf(synthJson(stack), 'libvirt_volume', 'PgData');
      expect(res.name).toBe('pg-data');
      expect(res.target).toBeUndefined();
    });

    test.each([
      ['logical', () => PoolSource.logical()],
      ['disk', () => PoolSource.disk({ device: '/dev/sdc' })],
      ['rbd', () => PoolSource.rbd({ monitors: ['mon1'], cephPool: 'rbd', auth: { username: 'u', secret: StorageSecret.fromUsage('s') } })],
      ['zfs', () => PoolSource.zfs()],
    ])('throws when a qcow2 volume is asked for in a %s pool', (type, source) => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Block', { source: source() });
      expect(() => new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(1), format: VolumeFormat.QCOW2 }))
        .toThrow(new RegExp(`'format' must be VolumeFormat.RAW in a ${type} pool, got "qcow2"`));
    });

    test('throws when a linked clone is asked for in a block pool', () => {
      const { stack } = newStack();
      const images = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool: images, capacity: Size.gibibytes(10) });
      const pool = new StoragePool(stack, 'Fast', { source: PoolSource.zfs() });
      expect(() => new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(20), backingStore: base }))
        .toThrow(/'backingStore' must be unset in a zfs pool, got "Lab\/Base". Linked clones are qcow2 overlays/);
    });

    test('throws when a volume is asked for in an iscsi pool', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'San', { source: PoolSource.iscsi({ host: 'san', targetIqn: 'iqn.2013-06.com.example:t' }) });
      expect(() => new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(1) }))
        .toThrow(/Lab\/Data: 'pool' must be a pool that volumes can be created in, got "Lab\/San". iSCSI pools only expose/);
    });

    test('applies block pool checks to an imported pool that declares its type', () => {
      const { stack } = newStack();
      const pool = StoragePool.fromPoolAttributes(stack, 'Vg', { poolName: 'vg0', poolType: PoolType.LOGICAL });
      expect(() => new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(1), format: VolumeFormat.QCOW2 }))
        .toThrow(/'format' must be VolumeFormat.RAW in a logical pool/);
    });
  });

  describe('replacement', () => {
    test('keeps its immutable definition in the stack\'s terraform_data resource that triggers replacement', () => {
      // GIVEN
      const { stack, host } = newStack();
      const pool = StoragePool.fromPoolName(stack, 'Default', host, 'default');
      // WHEN
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      // THEN
      const json = synthJson(stack);
      expect(triggerEntryOf(json, 'libvirt_volume', 'Data')).toEqual({
        capacity: 10,
        capacity_unit: 'GiB',
        target: { format: { type: 'qcow2' } },
      });
      expect(resourceOf(json, 'libvirt_volume', 'Data').lifecycle.replace_triggered_by)
        .toEqual([`terraform_data.LibvirtReplaceTriggers.input.${logicalIdOf(json, 'libvirt_volume', 'Data')}`]);
    });

    test('records the backing store as a plain address and the content URL in its replacement trigger', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      const base = new Volume(stack, 'Base', { pool, source: ImageSource.url('https://x.lab/noble.img') });
      new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(20), backingStore: base });
      const json = synthJson(stack);
      const baseId = logicalIdOf(json, 'libvirt_volume', 'Base');
      expect(triggerEntryOf(json, 'libvirt_volume', 'Base').content_url).toBe('https://x.lab/noble.img');
      // Plain text, not an interpolation: the base is tracked by the same trigger, so a live
      // reference would be a dependency cycle.
      expect(triggerEntryOf(json, 'libvirt_volume', 'Root').backing_store)
        .toEqual({ path: `libvirt_volume.${baseId}.path`, format: { type: 'qcow2' } });
    });

    test('is replaced when its owned pool is replaced', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(10) });
      const json = synthJson(stack);
      const poolId = logicalIdOf(json, 'libvirt_pool', 'Images');
      expect(resourceOf(json, 'libvirt_volume', 'Data').lifecycle.replace_triggered_by)
        .toContain(`libvirt_pool.${poolId}`);
    });
  });

  describe('checks', () => {
    test('throws when a blank volume has no capacity', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(() => new Volume(stack, 'Data', { pool }))
        .toThrow(/Lab\/Data: 'capacity' must be set for a blank volume, e.g. Size.gibibytes\(20\), got undefined/);
    });

    test('throws when the capacity is zero', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(() => new Volume(stack, 'Data', { pool, capacity: Size.bytes(0) })).toThrow(/'capacity' must be larger than 0, got 0B/);
    });

    test('throws when the capacity is not a Size', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(() => new Volume(stack, 'Data', { pool, capacity: 10 as any })).toThrow(/'capacity' must be a Size, e.g. Size.gibibytes\(20\), got 10/);
    });

    test('throws when the pool is missing', () => {
      const { stack } = newStack();
      expect(() => new Volume(stack, 'Data', {} as any)).toThrow(/Lab\/Data: 'pool' must be a storage pool/);
    });

    test('throws when the format is unknown', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(() => new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(1), format: 'vmdk' as any }))
        .toThrow(/'format' must be one of VolumeFormat.QCOW2, VolumeFormat.RAW, VolumeFormat.ISO, got "vmdk"/);
    });

    test('throws when the name is not a valid libvirt name', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      expect(() => new Volume(stack, 'Data', { pool, name: 'my disk', capacity: Size.gibibytes(1) })).toThrow(/'name' must be 1-64 characters/);
    });

    test('throws when two volumes in a pool have the same name, naming both', () => {
      const { stack } = newStack();
      const pool = new StoragePool(stack, 'Images');
      new Volume(stack, 'Data', { pool, capacity: Size.gibibytes(1) });
      expect(() => new Volume(stack, 'Other', { pool, name: 'data.qcow2', capacity: Size.gibibytes(1) }))
        .toThrow(/Lab\/Other: 'name' must be a volume name not already used on host Lab\/Kvm01, got "images\/data.qcow2". It is already claimed by Lab\/Data./);
    });

    test('allows the same volume name in two pools', () => {
      const { stack, host } = newStack();
      new Volume(stack, 'Data', { pool: new StoragePool(stack, 'Images'), capacity: Size.gibibytes(1) });
      expect(() => new Volume(stack, 'Data2', {
        pool: StoragePool.fromPoolName(stack, 'Default', host, 'default'),
        name: 'data.qcow2',
        capacity: Size.gibibytes(1),
      })).not.toThrow();
    });
  });
});
