import * as fs from 'fs';
import * as path from 'path';
import { labStack, removeTempProjects, runCli, tempProject } from './util';
import { hasValidator } from '../preview/util';

describe('cdktf-libvirt CLI', () => {
  afterAll(removeTempProjects);

  describe('preview', () => {
    test('prints the XML of every resource of a stack directory', () => {
      // GIVEN
      const dir = tempProject({ lab: labStack() });
      // WHEN
      const run = runCli(['preview', 'cdktf.out/stacks/lab'], dir);
      // THEN
      expect([run.code, run.stdout.match(/^<(domain|pool|volume)\b/gm)]).toEqual([0, ['<domain', '<pool', '<volume']]);
      expect(run.stdout).toContain("<source pool='lab' volume='root.qcow2'/>");
    });

    test('accepts the path of the cdk.tf.json file', () => {
      // GIVEN
      const dir = tempProject({ lab: labStack() });
      // WHEN
      const run = runCli(['preview', 'cdktf.out/stacks/lab/cdk.tf.json'], dir);
      // THEN
      expect([run.code, run.stdout.includes('<!-- libvirt_domain.Vm (lab/Vm) -->')]).toEqual([0, true]);
    });

    test('writes one file per resource with --out', () => {
      // GIVEN
      const dir = tempProject({ lab: labStack() });
      // WHEN
      const run = runCli(['preview', 'cdktf.out/stacks/lab', '--out', 'preview'], dir);
      // THEN
      expect([run.code, fs.readdirSync(path.join(dir, 'preview')).sort()]).toEqual([0, ['libvirt_domain.Vm.xml', 'libvirt_pool.Pool.xml', 'libvirt_volume.Root.xml']]);
      expect(fs.readFileSync(path.join(dir, 'preview', 'libvirt_pool.Pool.xml'), 'utf8')).toContain('<path>/srv/lab</path>');
    });

    test('writes each stack into its own folder when given cdktf.out', () => {
      // GIVEN
      const dir = tempProject({ a: labStack(), b: labStack() });
      // WHEN
      const run = runCli(['preview', 'cdktf.out', '--out=preview'], dir);
      // THEN
      expect([run.code, fs.readdirSync(path.join(dir, 'preview')).sort()]).toEqual([0, ['a', 'b']]);
    });

    test('says clearly that validation is skipped when virt-xml-validate is missing', () => {
      // GIVEN
      const dir = tempProject({ lab: labStack() });
      // WHEN
      const run = runCli(['preview', 'cdktf.out/stacks/lab', '--validate'], dir, dir);
      // THEN
      expect([run.code, run.stderr]).toEqual([0, expect.stringContaining('virt-xml-validate is not on PATH: validation SKIPPED')]);
    });

    (hasValidator() ? test : test.skip)('validates every document with virt-xml-validate', () => {
      // GIVEN
      const dir = tempProject({ lab: labStack() });
      // WHEN
      const run = runCli(['preview', 'cdktf.out/stacks/lab', '--validate'], dir);
      // THEN
      expect([run.code, run.stderr]).toEqual([0, expect.stringContaining('3 of 3 documents valid')]);
    });

    (hasValidator() ? test : test.skip)('reports invalid documents per resource with the construct path and fails', () => {
      // GIVEN
      const stack = labStack();
      delete stack.resource.libvirt_domain.Vm.type;
      const dir = tempProject({ lab: stack });
      // WHEN
      const run = runCli(['preview', 'cdktf.out/stacks/lab', '--validate'], dir);
      // THEN
      expect([run.code, run.stderr]).toEqual([1, expect.stringMatching(/INVALID libvirt_domain\.Vm \(lab\/Vm\):\n.*libvirt_domain\.Vm\.xml/)]);
    });

    test('fails with a usage error on an unknown option', () => {
      // GIVEN
      const dir = tempProject({ lab: labStack() });
      // WHEN
      const run = runCli(['preview', 'cdktf.out/stacks/lab', '--frobnicate'], dir);
      // THEN
      expect([run.code, run.stderr]).toEqual([2, expect.stringContaining("unknown option '--frobnicate'")]);
    });

    test('fails when the directory has no cdk.tf.json', () => {
      // GIVEN
      const dir = tempProject({});
      // WHEN
      const run = runCli(['preview', '.'], dir);
      // THEN
      expect([run.code, run.stderr]).toEqual([2, expect.stringContaining('no cdk.tf.json found')]);
    });
  });

  describe('check', () => {
    test('passes a stack that conforms to the provider schema', () => {
      // GIVEN
      const dir = tempProject({ lab: labStack() });
      // WHEN
      const run = runCli(['check', 'cdktf.out/stacks/lab'], dir);
      // THEN
      expect([run.code, run.stdout, run.stderr]).toEqual([0, '', 'cdktf-libvirt: 3 libvirt resource(s) conform to the provider schema\n']);
    });

    test('reports each finding with address, construct path and attribute path, and fails', () => {
      // GIVEN
      const stack = labStack();
      stack.resource.libvirt_domain.Vm.devices.video = [{ model: { type: 'virtio' } }];
      const dir = tempProject({ lab: stack });
      // WHEN
      const run = runCli(['check', 'cdktf.out/stacks/lab'], dir);
      // THEN
      expect([run.code, run.stdout]).toEqual([1, expect.stringMatching(/^libvirt_domain\.Vm \(lab\/Vm\): devices\.video: unknown attribute 'video' at 'devices'/)]);
    });
  });

  test('prints usage and fails without a command', () => {
    // WHEN
    const run = runCli([], process.cwd());
    // THEN
    expect([run.code, run.stdout]).toEqual([2, expect.stringContaining('cdktf-libvirt preview <stack dir|cdk.tf.json>')]);
  });

  test('ships a bin shim that runs the compiled CLI', () => {
    // WHEN
    const shim = fs.readFileSync(path.join(__dirname, '..', '..', 'bin', 'cdktf-libvirt'), 'utf8');
    // THEN
    expect([shim.startsWith('#!/usr/bin/env node'), shim.includes("require('../lib/cli/main.js').run()")]).toEqual([true, true]);
  });
});
