import { Testing } from 'cdktf';
import { newStack } from './util';
import { Size } from '../../src/core';
import { BaseImage, DataVolume, ImageSource, PoolSource, StoragePool, Volume } from '../../src/storage';

describe('storage', () => {
  test('synthesizes two tiers, a shared base image, a linked clone and a data volume', () => {
    // GIVEN
    const { stack } = newStack();
    const fast = new StoragePool(stack, 'Fast', { targetPath: '/nvme/vms' });
    const nas = new StoragePool(stack, 'Nas', { source: PoolSource.nfs({ host: 'nas01.lab', exportPath: '/export/vms' }) });
    const noble = new BaseImage(stack, 'Noble', {
      source: ImageSource.url('https://cloud-images.ubuntu.com/noble/current/noble-server-cloudimg-amd64.img'),
      virtualSize: Size.mebibytes(3584),
    });
    // WHEN
    new Volume(stack, 'WebRoot', { pool: fast, capacity: Size.gibibytes(20), backingStore: noble.volumeIn(fast) });
    new DataVolume(stack, 'PgData', { pool: nas, capacity: Size.gibibytes(200) });
    // THEN
    expect(Testing.synth(stack)).toMatchSnapshot();
  });
});
