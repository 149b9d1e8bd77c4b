/**
 * Acceptance suite against a real libvirt daemon (qemu:///system): every example app is
 * synthesized, rendered to libvirt XML and applied to the local daemon under a unique name prefix.
 *
 * Start a daemon first (as root): `.ci/libvirt/libvirt-up.sh`, or run everything with
 * `.ci/libvirt/acceptance.sh`. Without a daemon the suite is skipped with a loud message, unless
 * LIBVIRT_ACCEPTANCE=required, in which case it fails.
 *
 * Network rule: nothing here sends traffic to any address but loopback. Only isolated networks are
 * started; no guest with a NIC is started.
 */
import { fixtureStacks } from './fixture';
import { LabRun, PASSTHROUGH_FAILURE } from './lab-run';
import { renderStack } from './preview';
import { SynthesizedStack, attrAt, daemonAnswers, exampleNames, onPath, synthExample, toKiB } from './util';
import { child, text } from './xml';

const REQUIRED = process.env.LIBVIRT_ACCEPTANCE === 'required';
const DAEMON_UP = daemonAnswers() && onPath('virt-xml-validate') && onPath('qemu-img');
const STEP_TIMEOUT = 300_000;

if (!DAEMON_UP) {
  const line = '!'.repeat(100);
  console.warn([
    line,
    '!!! LIBVIRT ACCEPTANCE SUITE SKIPPED: no libvirt daemon at qemu:///system',
    '!!! (`virsh -c qemu:///system version` did not answer within 5 s, or virt-xml-validate/qemu-img are missing).',
    '!!! Start one as root with .ci/libvirt/libvirt-up.sh, or run .ci/libvirt/acceptance.sh.',
    '!!! Set LIBVIRT_ACCEPTANCE=required to make this a failure.',
    line,
  ].join('\n'));
}

if (REQUIRED && !DAEMON_UP) {
  describe('libvirt acceptance suite', () => {
    test('has a libvirt daemon at qemu:///system (LIBVIRT_ACCEPTANCE=required)', () => {
      throw new Error('LIBVIRT_ACCEPTANCE=required but no libvirt daemon answers at qemu:///system; run .ci/libvirt/libvirt-up.sh first');
    });
  });
}

/** Chosen at runtime: the suite needs a daemon. */
const maybeDescribe = DAEMON_UP ? describe : describe.skip;
const EXAMPLES = exampleNames();

/** What the suite applies: every example app, plus an L1 fixture for the paths examples may not cover yet. */
const APPS: { label: string; stacks: () => SynthesizedStack[] }[] = [
  ...EXAMPLES.map((name) => ({ label: `examples/${name}`, stacks: () => synthExample(name) })),
  { label: 'the L1 fixture (two hosts, clones, passthrough)', stacks: fixtureStacks },
];

describe('example apps', () => {
  test('there is at least one example app to apply', () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
  });
});

APPS.forEach((app, index) => {
  maybeDescribe(`${app.label} on a real libvirt daemon`, () => {
    let lab: LabRun | undefined;
    const get = (): LabRun => {
      if (!lab) throw new Error(`${app.label} was not synthesized and rendered (see the first failure)`);
      return lab;
    };

    beforeAll(() => {
      const stacks = app.stacks().map((s) => ({ ...s, docs: renderStack(s.json) }));
      lab = new LabRun(app.label, `acc${process.pid}e${index}`, stacks);
    }, STEP_TIMEOUT);

    afterAll(() => {
      if (!lab) return;
      const leftovers = lab.teardown();
      console.log(lab.summary());
      if (leftovers.length > 0) throw new Error(`could not remove: ${leftovers.join(', ')}`);
    }, STEP_TIMEOUT);

    test('renders at least one libvirt document', () => {
      expect(get().documents.length).toBeGreaterThan(0);
    });

    test('every rendered document passes virt-xml-validate', () => {
      expect(get().validateAll()).toEqual([]);
    }, STEP_TIMEOUT);

    test('defines every pool and builds and starts every dir pool', () => {
      const run = get();
      const started = run.applyPools();
      const dirPools = run.ofKind('pool').filter((d) => d.local.attrs.type === 'dir').map((d) => d.localName);
      expect(started).toEqual(dirPools);
    }, STEP_TIMEOUT);

    test('creates every volume, with base images made locally by qemu-img and linked clones on them', () => {
      const run = get();
      const created = run.applyVolumes();
      expect(created).toHaveLength(run.ofKind('volume').length);
      for (const d of run.ofKind('volume')) {
        const pool = run.volumePool(d);
        if (created.includes(`${pool}/${d.localName} (skipped)`)) continue;
        const info = run.volumeInfo(pool, d.localName);
        const format = child(d.local, 'target/format')?.attrs.type;
        if (format) expect({ volume: d.doc.address, format: info.format }).toEqual({ volume: d.doc.address, format });
        const capacity = child(d.local, 'capacity');
        if (capacity && attrAt(d.resource, 'create.content.url') === undefined) {
          // A volume's capacity unit defaults to bytes.
          const asked = Math.round(toKiB(text(capacity)!, capacity.attrs.unit ?? 'bytes') * 1024);
          expect({ volume: d.doc.address, capacity: info.capacity }).toEqual({ volume: d.doc.address, capacity: asked });
        }
        if (child(d.local, 'backingStore')) {
          expect({ volume: d.doc.address, backed: info.backing !== undefined }).toEqual({ volume: d.doc.address, backed: true });
        }
      }
    }, STEP_TIMEOUT);

    test('defines every network and starts only isolated ones', () => {
      const run = get();
      const started = run.applyNetworks();
      const isolated = run.ofKind('network').filter((d) => child(d.local, 'forward') === undefined);
      expect(started).toEqual(isolated.map((d) => d.localName));
    }, STEP_TIMEOUT);

    test('defines every domain as type qemu and reads back what was asked', () => {
      expect(get().defineDomains()).toEqual([]);
    }, STEP_TIMEOUT);

    test('starts a boot-disk-only copy of every guest shape', () => {
      const run = get();
      for (const d of run.ofKind('domain')) {
        expect({ domain: d.doc.address, state: run.startBootCopy(d) }).toEqual({ domain: d.doc.address, state: 'running' });
      }
    }, STEP_TIMEOUT);

    test('guests with PCI or VF devices fail to start with libvirt\'s own message', () => {
      const run = get();
      for (const d of run.ofKind('domain').filter((x) => run.hasPassthrough(x))) {
        const message = run.startPassthroughCopy(d);
        expect({ domain: d.doc.address, failed: message !== undefined }).toEqual({ domain: d.doc.address, failed: true });
        expect(message).toMatch(PASSTHROUGH_FAILURE);
      }
    }, STEP_TIMEOUT);
  });
});
