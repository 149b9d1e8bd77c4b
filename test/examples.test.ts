import { exampleNames, synthExample } from './util';

describe('examples', () => {
  const names = exampleNames();

  test('include the main lab', () => {
    expect(names).toContain('lab');
  });

  describe.each(names)('%s', (name) => {
    let first: Record<string, string>;
    beforeAll(() => {
      first = synthExample(name);
    });

    test('synthesizes at least one stack with libvirt resources', () => {
      const stacks = Object.values(first).map((t) => JSON.parse(t));
      expect(stacks.length).toBeGreaterThan(0);
      for (const stack of stacks) {
        expect(Object.keys(stack.resource ?? {}).some((type) => type.startsWith('libvirt_'))).toBe(true);
      }
    });

    test('synthesizes byte-identical JSON twice', () => {
      expect(synthExample(name)).toEqual(first);
    });
  });
});
