import { checkStackConformance } from '../../src/checks';
import { renderStack, withPlaceholderStandIns } from '../../src/preview';
import { hasValidator, validate } from '../preview/util';
import { exampleNames, synthExample } from '../util';

/** The examples' synthesized stacks, by `<example>/<stack>`. */
const stacks: Array<[string, any]> = exampleNames().flatMap((name) =>
  Object.entries(synthExample(name)).map(([stack, json]) => [`${name}/${stack}`, JSON.parse(json)] as [string, any]));

describe('every example', () => {
  test.each(stacks)('%s conforms to the provider schema', (_name, json) => {
    // WHEN
    const findings = checkStackConformance(json);
    // THEN
    expect(findings).toEqual([]);
  });

  (hasValidator() ? test.each(stacks) : test.skip.each(stacks))('%s previews as XML that virt-xml-validate accepts', (_name, json) => {
    // WHEN
    const problems = renderStack(json)
      .map((doc) => [doc.address, validate(withPlaceholderStandIns(doc.xml), ({ pool: 'storagepool', volume: 'storagevol' } as any)[doc.kind] ?? doc.kind)])
      .filter(([, problem]) => problem !== '');
    // THEN
    expect(problems).toEqual([]);
  });
});
