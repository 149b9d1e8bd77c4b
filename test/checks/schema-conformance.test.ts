import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Aspects, Testing } from 'cdktf';
import { errorsOf, newStack, validDomain, warningsOf } from './util';
import { checkStackConformance, SchemaConformance } from '../../src/checks';
import { DataLibvirtNodeInfo } from '../../src/imports/libvirt/data-libvirt-node-info';
import { Pool } from '../../src/imports/libvirt/pool';
import { Volume } from '../../src/imports/libvirt/volume';

describe('checkStackConformance', () => {
  function check(resource: Record<string, unknown>, type = 'libvirt_domain') {
    return checkStackConformance({ resource: { [type]: { R: { '//': { metadata: { path: 's/R' } }, ...resource } } } });
  }

  test('accepts a valid domain', () => {
    // WHEN
    const findings = check({ name: 'vm', type: 'kvm', memory: 1, devices: { disks: [{ target: { dev: 'vda' } }] } });
    // THEN
    expect(findings).toEqual([]);
  });

  test('reports an unknown attribute inside a nested object with the path and a suggestion', () => {
    // WHEN
    const findings = check({ name: 'vm', type: 'kvm', devices: { video: [{ model: { type: 'virtio' } }] } });
    // THEN
    expect(findings).toEqual([{
      address: 'libvirt_domain.R',
      constructPath: 's/R',
      attributePath: 'devices.video',
      problem: expect.stringMatching(/unknown attribute 'video' at 'devices'.*did you mean 'videos'/),
    }]);
  });

  test('reports a missing required attribute at the top level', () => {
    // WHEN
    const findings = check({ name: 'vm' });
    // THEN
    expect(findings.map((f) => [f.attributePath, f.problem])).toEqual([['type', "required attribute 'type' is missing at '(root)'"]]);
  });

  test('reports a missing required attribute inside a list element', () => {
    // WHEN
    const findings = check({ name: 'vm', type: 'kvm', os: { boot_devices: [{}] } });
    // THEN
    expect(findings.map((f) => f.attributePath)).toEqual(['os.boot_devices[0].dev']);
  });

  test('reports a computed-only attribute that is set', () => {
    // WHEN
    const findings = check({ name: 'v', pool: 'default', path: '/x' }, 'libvirt_volume');
    // THEN
    expect(findings.map((f) => f.problem)).toEqual(["'path' is computed by the provider and cannot be set"]);
  });

  test('reports a wrongly typed value', () => {
    // WHEN
    const findings = check({ name: 'vm', type: 'kvm', memory: 'lots' });
    // THEN
    expect(findings.map((f) => [f.attributePath, f.problem])).toEqual([['memory', 'must be a number, got string "lots"']]);
  });

  test('reports a list given where an object is expected', () => {
    // WHEN
    const findings = check({ name: 'vm', type: 'kvm', os: [{ type: 'hvm' }] });
    // THEN
    expect(findings.map((f) => f.problem)).toEqual(['must be an object, got a list']);
  });

  test('accepts expressions for values of any type', () => {
    // WHEN
    const findings = check({ name: '${var.name}', type: 'kvm', memory: '${var.memory}', devices: '${local.devices}', vcpu: '${var.n}' });
    // THEN
    expect(findings).toEqual([]);
  });

  test('skips Terraform meta-arguments', () => {
    // WHEN
    const findings = check({ name: 'vm', type: 'kvm', provider: 'libvirt.h', depends_on: ['x'], lifecycle: { create_before_destroy: true }, count: 2 });
    // THEN
    expect(findings).toEqual([]);
  });

  test('reports a resource type the provider does not have', () => {
    // WHEN
    const findings = check({ name: 'x' }, 'libvirt_secret');
    // THEN
    expect(findings.map((f) => f.problem)).toEqual(["unknown resource type 'libvirt_secret' (not in the provider schema)"]);
  });

  test('checks data sources under their data. address', () => {
    // WHEN
    const findings = checkStackConformance({ data: { libvirt_node_device_info: { D: { nme: 'pci_0000_00_01_0' } } } });
    // THEN
    expect(findings.map((f) => `${f.address} ${f.attributePath}`)).toEqual([
      'data.libvirt_node_device_info.D name',
      'data.libvirt_node_device_info.D nme',
    ]);
  });

  test('ignores resources of other providers', () => {
    // WHEN
    const findings = checkStackConformance({ resource: { null_resource: { X: { whatever: 1 } } } });
    // THEN
    expect(findings).toEqual([]);
  });

  test('accepts a full synthesized stack of valid L1 resources', () => {
    // GIVEN
    const stack = newStack();
    const pool = new Pool(stack, 'Pool', { name: 'p', type: 'dir', target: { path: '/srv/p' } });
    new Volume(stack, 'Vol', { name: 'v', pool: pool.name, capacity: 1, target: { format: { type: 'qcow2' } } });
    validDomain(stack);
    new DataLibvirtNodeInfo(stack, 'Info', {});
    // WHEN
    const findings = checkStackConformance(JSON.parse(Testing.synth(stack)));
    // THEN
    expect(findings).toEqual([]);
  });
});

describe('SchemaConformance', () => {
  test('adds no annotation to a valid L1 domain', () => {
    // GIVEN
    const stack = newStack();
    const vm = validDomain(stack);
    Aspects.of(stack).add(new SchemaConformance());
    // WHEN
    Testing.synth(stack);
    // THEN
    expect(errorsOf(vm)).toEqual([]);
  });

  test('reports an escape-hatch mistake as an error on the resource', () => {
    // GIVEN
    const stack = newStack();
    const vm = validDomain(stack);
    vm.addOverride('devices.video', [{ model: { type: 'virtio' } }]);
    Aspects.of(stack).add(new SchemaConformance());
    // WHEN
    Testing.synth(stack);
    // THEN
    expect(errorsOf(vm)).toEqual([
      expect.stringMatching(/^LibvirtChecks-SchemaConformance: devices.video: unknown attribute 'video' at 'devices'/),
    ]);
  });

  test('reports a type mistake inside a lazily rendered list', () => {
    // GIVEN
    const stack = newStack();
    const vm = validDomain(stack);
    vm.addOverride('devices.disks.0.target.bus', { not: 'a string' });
    Aspects.of(stack).add(new SchemaConformance());
    // WHEN
    Testing.synth(stack);
    // THEN
    expect(errorsOf(vm)).toEqual(['LibvirtChecks-SchemaConformance: devices.disks[0].target.bus: must be a string, got an object']);
  });

  test('accepts references to other resources', () => {
    // GIVEN
    const stack = newStack();
    const pool = new Pool(stack, 'Pool', { name: 'p', type: 'dir' });
    const vol = new Volume(stack, 'Vol', { name: 'v', pool: pool.name, capacity: pool.capacity });
    Aspects.of(stack).add(new SchemaConformance());
    // WHEN
    Testing.synth(stack);
    // THEN
    expect(errorsOf(vol)).toEqual([]);
  });

  test('reports findings as warnings when asked', () => {
    // GIVEN
    const stack = newStack();
    const vm = validDomain(stack);
    vm.addOverride('os.kernel_args', 'console=ttyS0');
    Aspects.of(stack).add(new SchemaConformance({ warningsOnly: true }));
    // WHEN
    Testing.synth(stack);
    // THEN
    expect([errorsOf(vm), warningsOf(vm)]).toEqual([[], [expect.stringMatching(/os.kernel_args: unknown attribute 'kernel_args' at 'os'/)]]);
  });

  test('makes a full synth fail on a finding', () => {
    // GIVEN
    const stack = newStack();
    const vm = validDomain(stack);
    vm.addOverride('bogus', 1);
    Aspects.of(stack).add(new SchemaConformance());
    // THEN
    expect(() => Testing.fullSynth(stack)).toThrow(/LibvirtChecks-SchemaConformance: bogus: unknown attribute/);
  });

  test('checks data sources', () => {
    // GIVEN
    const stack = newStack();
    const info = new DataLibvirtNodeInfo(stack, 'Info', {});
    info.addOverride('cpu_model', 'x86_64');
    Aspects.of(stack).add(new SchemaConformance());
    // WHEN
    Testing.synth(stack);
    // THEN
    expect(errorsOf(info)).toEqual(["LibvirtChecks-SchemaConformance: cpu_model: 'cpu_model' is computed by the provider and cannot be set"]);
  });
});

describe('SchemaConformance with another schema file', () => {
  test('checks against the given schema', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-'));
    const file = path.join(dir, 'schema.json');
    fs.writeFileSync(file, JSON.stringify({
      provider_schemas: {
        'registry.terraform.io/dmacvicar/libvirt': {
          resource_schemas: { libvirt_domain: { block: { attributes: { name: { type: 'string', required: true } } } } },
          data_source_schemas: {},
        },
      },
    }));
    const stack = newStack();
    const vm = validDomain(stack);
    Aspects.of(stack).add(new SchemaConformance({ schemaFile: file }));
    // WHEN
    Testing.synth(stack);
    fs.rmSync(dir, { recursive: true, force: true });
    // THEN
    expect(errorsOf(vm)).toContain("LibvirtChecks-SchemaConformance: type: unknown attribute 'type' at '(root)': the provider silently drops it");
  });
});
