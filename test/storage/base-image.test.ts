import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { logicalIdOf, newStack, resourceOf, resourcesOf, synthJson } from './util';
import { LibvirtHost, Size, VolumeFormat } from '../../src/core';
import { Volume as VolumeResource } from '../../src/imports/libvirt/volume';
import { BaseImage, ImageSource, PoolSource, StoragePool, Volume } from '../../src/storage';

const NOBLE = 'https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img';

describe('BaseImage', () => {
  test('uploads the image to a pool on first use, as a qcow2 volume named after the image', () => {
    // GIVEN
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
    // WHEN
    image.volumeIn(pool);
    // THEN
    const json = synthJson(stack);
    const vol = resourceOf(json, 'libvirt_volume', 'Noble_InImages');
    expect(vol.name).toBe('noble.qcow2');
    expect(vol.target).toEqual({ format: { type: 'qcow2' } });
    expect(vol.create).toEqual({ content: { url: NOBLE } });
  });

  test('creates nothing until a pool asks for the image', () => {
    const { stack } = newStack();
    new StoragePool(stack, 'Images');
    new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
    expect(resourcesOf(synthJson(stack), 'libvirt_volume')).toEqual({});
  });

  test('returns the same volume for every clone in a pool', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), virtualSize: Size.gibibytes(3) });
    new Volume(stack, 'Web1', { pool, backingStore: image.volumeIn(pool) });
    new Volume(stack, 'Web2', { pool, backingStore: image.volumeIn(pool) });
    expect(image.volumeIn(pool)).toBe(image.volumeIn(pool));
    expect(Object.keys(resourcesOf(synthJson(stack), 'libvirt_volume')).filter((k) => k.startsWith('Noble_'))).toHaveLength(1);
  });

  test('lives once in each pool (storage tier) it is used in', () => {
    const { stack, host } = newStack();
    const fast = new StoragePool(stack, 'Fast', { targetPath: '/nvme/vms' });
    const slow = StoragePool.fromPoolName(stack, 'Default', host, 'default');
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
    image.volumeIn(fast);
    image.volumeIn(slow);
    const json = synthJson(stack);
    expect(resourceOf(json, 'libvirt_volume', 'Noble_InFast').pool).toMatch(/libvirt_pool\.Fast_/);
    expect(resourceOf(json, 'libvirt_volume', 'Noble_InDefault').pool).toBe('default');
    expect(image.pools).toEqual([fast, slow]);
  });

  test('derives the per-pool volume ids from the pools\' paths, not the order of use', () => {
    // GIVEN two apps that use the same pools in opposite order
    const ids = (order: string[]) => {
      const { stack } = newStack();
      const pools: Record<string, StoragePool> = {
        a: new StoragePool(stack, 'A', { targetPath: '/a' }),
        b: new StoragePool(stack, 'B', { targetPath: '/b' }),
      };
      const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
      order.forEach((p) => image.volumeIn(pools[p]));
      return Object.keys(resourcesOf(synthJson(stack), 'libvirt_volume')).sort();
    };
    // THEN the logical ids are the same
    expect(ids(['a', 'b'])).toEqual(ids(['b', 'a']));
  });

  test('tells apart pools with the same id in different scopes', () => {
    const { stack, host } = newStack();
    const kvm02 = new LibvirtHost(stack, 'Kvm02');
    const pool1 = new StoragePool(new Construct(stack, 'Site1'), 'Images', { host });
    const pool2 = new StoragePool(new Construct(stack, 'Site2'), 'Images', { host: kvm02 });
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
    image.volumeIn(pool1);
    image.volumeIn(pool2);
    const json = synthJson(stack);
    expect(logicalIdOf(json, 'libvirt_volume', 'Noble_InSite1Images')).toBeDefined();
    expect(logicalIdOf(json, 'libvirt_volume', 'Noble_InSite2Images')).toBeDefined();
  });

  test('uploads to its default pool right away', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), pool });
    expect(image.defaultVolume()).toBe(image.volumeIn(pool));
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { name: 'noble.qcow2' });
  });

  test('renders a raw image with the .img extension and raw backing format for clones', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    const image = new BaseImage(stack, 'Golden', { source: ImageSource.file('/srv/golden.raw'), format: VolumeFormat.RAW });
    new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(20), backingStore: image.volumeIn(pool) });
    const json = synthJson(stack);
    expect(resourceOf(json, 'libvirt_volume', 'Golden_InImages').name).toBe('golden.img');
    expect(resourceOf(json, 'libvirt_volume', 'Root').backing_store.format).toEqual({ type: 'raw' });
  });

  test('gives clones its virtual size as their default capacity', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), virtualSize: Size.mebibytes(3584) });
    new Volume(stack, 'Root', { pool, backingStore: image.volumeIn(pool) });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(VolumeResource, { name: 'root.qcow2', capacity: 3584, capacity_unit: 'MiB' });
  });

  test('throws when a clone is smaller than the image\'s virtual size', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), virtualSize: Size.gibibytes(4) });
    expect(() => new Volume(stack, 'Root', { pool, capacity: Size.gibibytes(2), backingStore: image.volumeIn(pool) }))
      .toThrow(/'capacity' must be at least the size of the base Lab\/Noble\/InImages \(4GiB\), got 2GiB/);
  });

  test('protects its volumes when asked', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), pool, protect: true });
    expect(resourceOf(synthJson(stack), 'libvirt_volume', 'Noble_InImages').lifecycle.prevent_destroy).toBe(true);
  });

  test('throws when the source is not an ImageSource', () => {
    const { stack } = newStack();
    expect(() => new BaseImage(stack, 'Noble', { source: NOBLE as any }))
      .toThrow(/Lab\/Noble: 'source' must be an ImageSource \(ImageSource.url\(...\) or ImageSource.file\(...\)\)/);
  });

  test('throws when the format is ISO', () => {
    const { stack } = newStack();
    expect(() => new BaseImage(stack, 'Installer', { source: ImageSource.url('https://x.lab/a.iso'), format: VolumeFormat.ISO }))
      .toThrow(/'format' must be VolumeFormat.QCOW2 or VolumeFormat.RAW, got "iso". A base image backs disks/);
  });

  test('throws when the virtual size is zero', () => {
    const { stack } = newStack();
    expect(() => new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), virtualSize: Size.bytes(0) }))
      .toThrow(/'virtualSize' must be a Size larger than 0, got 0B/);
  });

  test('throws when defaultVolume is asked for without a default pool', () => {
    const { stack } = newStack();
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
    expect(() => image.defaultVolume()).toThrow(/Lab\/Noble: 'pool' must be set to use defaultVolume\(\), got undefined/);
  });

  test('throws when two pools map to the same child id, naming both', () => {
    const { stack, host } = newStack();
    const nested = new StoragePool(new Construct(stack, 'Site1'), 'Images', { host });
    const flat = new StoragePool(stack, 'Site1Images', { host });
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
    image.volumeIn(nested);
    expect(() => image.volumeIn(flat))
      .toThrow(/Lab\/Noble: 'pool' must be a pool whose construct path is distinct from Lab\/Site1\/Images, got "Lab\/Site1Images". Both map to the child id 'InSite1Images'/);
  });

  test('throws when the image name is not a valid volume name', () => {
    const { stack } = newStack();
    expect(() => new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), name: 'noble image' })).toThrow(/Lab\/Noble: 'name' must be 1-64 characters/);
  });

  test('throws when a qcow2 image is asked for in a block pool', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Fast', { source: PoolSource.logical() });
    const image = new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE) });
    expect(() => image.volumeIn(pool)).toThrow(/Lab\/Noble\/InFast: 'format' must be VolumeFormat.RAW in a logical pool, got "qcow2"/);
  });

  test('throws when two images of the same name meet in a pool', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    new BaseImage(stack, 'Noble', { source: ImageSource.url(NOBLE), pool });
    expect(() => new BaseImage(stack, 'Noble2', { source: ImageSource.url(NOBLE), name: 'noble.qcow2', pool }))
      .toThrow(/Lab\/Noble2\/InImages: 'name' must be a volume name not already used .*It is already claimed by Lab\/Noble\/InImages./);
  });
});
