import { newStack, resourceOf, synthJson } from './util';
import { Size } from '../../src/core';
import { DataVolume, StoragePool } from '../../src/storage';

describe('DataVolume', () => {
  test('is protected from destroy by default', () => {
    // GIVEN
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    // WHEN
    const vol = new DataVolume(stack, 'PgData', { pool, capacity: Size.gibibytes(200) });
    // THEN
    expect(vol.isProtected).toBe(true);
    expect(resourceOf(synthJson(stack), 'libvirt_volume', 'PgData').lifecycle.prevent_destroy).toBe(true);
  });

  test('can be unprotected deliberately', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    new DataVolume(stack, 'PgData', { pool, capacity: Size.gibibytes(200), protect: false });
    expect(resourceOf(synthJson(stack), 'libvirt_volume', 'PgData').lifecycle.prevent_destroy).toBeUndefined();
  });

  test('keeps the replacement trigger, so a changed capacity fails the plan instead of deleting data', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    new DataVolume(stack, 'PgData', { pool, capacity: Size.gibibytes(200) });
    const lifecycle = resourceOf(synthJson(stack), 'libvirt_volume', 'PgData').lifecycle;
    expect(lifecycle.replace_triggered_by[0]).toMatch(/^terraform_data\.LibvirtReplaceTriggers\.input\.PgData_[0-9A-F]{8}$/);
  });

  test('throws like a Volume when it has no capacity', () => {
    const { stack } = newStack();
    const pool = new StoragePool(stack, 'Images');
    expect(() => new DataVolume(stack, 'PgData', { pool })).toThrow(/Lab\/PgData: 'capacity' must be set for a blank volume/);
  });
});
