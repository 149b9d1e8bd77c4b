import { LibvirtHost } from '../../src/core';
import { internedId } from '../../src/core/interned-id';
import { newStack } from '../util';

describe('construct ids', () => {
  test.each(['Node1', '42', '__proto__', 'constructor', 'Group-1.a', ''])('keeps the text of the id %j', (id) => {
    const builtAtRunTime = id.split('').join('');
    expect(internedId(builtAtRunTime)).toBe(id);
  });

  test('a construct created with an id built at run time keeps that id in its path', () => {
    const { stack } = newStack();
    const n = 7;
    const host = new LibvirtHost(stack, `Kvm${n}`, { uri: 'qemu:///system' });
    expect(host.node.path).toBe('test/Kvm7');
  });
});
