import { exampleNames, referenceCycle, synthExample } from './util';

describe('examples', () => {
  const names = exampleNames();

  test('cycle check finds a replace_triggered_by cycle through a shared trigger', () => {
    const stack = {
      resource: {
        terraform_data: { t: { input: { clone: '${libvirt_volume.base.path}' } } },
        libvirt_volume: { base: { lifecycle: { replace_triggered_by: ['terraform_data.t.input.base'] } } },
      },
    };
    expect(referenceCycle(stack)).toEqual(['terraform_data.t', 'libvirt_volume.base', 'terraform_data.t']);
  });

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

    test('has no reference cycles between resources, replace_triggered_by included', () => {
      for (const text of Object.values(first)) {
        expect(referenceCycle(JSON.parse(text))).toEqual([]);
      }
    });

    test('synthesizes byte-identical JSON twice', () => {
      expect(synthExample(name)).toEqual(first);
    });
  });
});
