import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PreviewDocument } from './preview';
import { IMAGES_DIR, attrAt, resourceAt, run, toKiB, virsh, virshOk } from './util';
import { XmlElement, child, children, cloneXml, parseXml, removeChildren, serializeXml, setText, text } from './xml';

/** A rendered document of one stack, with what the suite needs to apply it to the local daemon. */
export interface LabDocument {
  readonly doc: PreviewDocument;
  readonly stackName: string;
  /** The resource in cdk.tf.json. */
  readonly resource: any;
  /** `stack/provider`: all documents of one libvirt host share a name prefix. */
  readonly group: string;
  readonly prefix: string;
  /** The document with names and paths rewritten for the local daemon. */
  readonly local: XmlElement;
  /** The name on the local daemon. */
  readonly localName: string;
}

/** What the suite created, torn down by name in reverse order. */
interface Created {
  readonly kind: 'pool' | 'volume' | 'network' | 'domain';
  readonly name: string;
  readonly pool?: string;
  readonly dir?: string;
}

/** What happened, for the summary printed at the end. */
export interface LabReport {
  readonly notes: string[];
  readonly expectedFailures: { domain: string; message: string }[];
  readonly started: string[];
}

/** Placeholder content for volumes whose content would come from a URL or a generated ISO. */
const BASE_IMAGE_SIZE = '64M';
const PLACEHOLDER_SIZE = '1M';

/** Matches libvirt's own answers when a guest needs PCI/VF hardware this host does not have. */
export const PASSTHROUGH_FAILURE = /passthrough|No usable Vf|VFIO|IOMMU|PCI device|hostdev|not active|SRIOV|virtual function/i;

function lastChildName(el: XmlElement): string {
  return el.name;
}

function xmlFile(dir: string, name: string, el: XmlElement): string {
  const file = path.join(dir, `${name}.xml`);
  fs.writeFileSync(file, serializeXml(el) + '\n');
  return file;
}

/**
 * Applies the documents of one example app to the local libvirt daemon under a unique name
 * prefix, and tears everything down again by name.
 */
export class LabRun {
  public readonly documents: LabDocument[] = [];
  public readonly report: LabReport = { notes: [], expectedFailures: [], started: [] };
  private readonly created: Created[] = [];
  private readonly work: string;
  /** Per group: pool name -> local pool name. */
  private readonly poolNames = new Map<string, Map<string, string>>();
  /** Per group: network name -> local network name. */
  private readonly networkNames = new Map<string, Map<string, string>>();
  /** Per group: pool target path -> local pool target path. */
  private readonly poolPaths = new Map<string, Map<string, string>>();
  /** Per group: local pool name -> pool type. */
  private readonly poolTypes = new Map<string, string>();
  /** Volume address (stack/address) and `pool/volume` -> path on the local daemon. */
  private readonly volumePaths = new Map<string, string>();

  constructor(
    private readonly example: string,
    private readonly basePrefix: string,
    stacks: { stackName: string; json: any; docs: PreviewDocument[] }[],
  ) {
    this.work = fs.mkdtempSync(path.join(os.tmpdir(), 'acc-run-'));
    const groups: string[] = [];
    const pending: { doc: PreviewDocument; stackName: string; resource: any; group: string; prefix: string }[] = [];
    for (const s of stacks) {
      for (const doc of s.docs) {
        const resource = resourceAt(s.json, doc.address) ?? {};
        const group = `${s.stackName}/${resource.provider ?? 'libvirt'}`;
        if (!groups.includes(group)) groups.push(group);
        pending.push({ doc, stackName: s.stackName, resource, group, prefix: `${basePrefix}h${groups.indexOf(group)}-` });
      }
    }
    for (const g of groups) {
      this.poolNames.set(g, new Map());
      this.networkNames.set(g, new Map());
      this.poolPaths.set(g, new Map());
    }
    // Names first, so that references can be rewritten whatever the document order.
    for (const p of pending) {
      const local = p.prefix + p.doc.name;
      if (p.doc.kind === 'pool') {
        this.poolNames.get(p.group)!.set(p.doc.name, local);
        const el = parseXml(p.doc.xml);
        const target = text(child(el, 'target/path'));
        if (el.attrs.type === 'dir' && target) this.poolPaths.get(p.group)!.set(target.replace(/\/+$/, ''), path.join(IMAGES_DIR, local));
      }
      if (p.doc.kind === 'network') this.networkNames.get(p.group)!.set(p.doc.name, local);
    }
    for (const p of pending) {
      const local = parseXml(p.doc.xml);
      // Volumes keep their names: they live in the suite's own (prefixed) pools.
      const localName = p.doc.kind === 'volume' ? p.doc.name : p.prefix + p.doc.name;
      this.documents.push({ ...p, local, localName });
      this.rewrite(p.doc.kind, p.group, p.prefix, local, localName);
    }
  }

  public ofKind(kind: PreviewDocument['kind']): LabDocument[] {
    return this.documents.filter((d) => d.doc.kind === kind);
  }

  /** Runs `virt-xml-validate` on each rendered document as it was rendered; returns the failures. */
  public validateAll(): string[] {
    const failures: string[] = [];
    for (const d of this.documents) {
      const file = path.join(this.work, `validate-${d.doc.address}.xml`);
      fs.writeFileSync(file, d.doc.xml);
      const r = run('virt-xml-validate', [file], 30_000);
      if (!r.ok) failures.push(`${d.doc.address} (${d.doc.constructPath}): ${(r.stderr + r.stdout).trim()}`);
    }
    return failures;
  }

  // ------------------------------------------------------------------ pools

  /** Defines every pool; builds and starts dir pools. Returns the local pool names it started. */
  public applyPools(): string[] {
    const started: string[] = [];
    for (const d of this.ofKind('pool')) {
      const type = d.local.attrs.type;
      this.poolTypes.set(d.localName, type);
      const dir = type === 'dir' ? text(child(d.local, 'target/path')) : undefined;
      this.created.push({ kind: 'pool', name: d.localName, dir });
      virshOk(['pool-define', xmlFile(this.work, d.localName, d.local)]);
      if (type !== 'dir') {
        this.report.notes.push(`pool ${d.doc.name} (type ${type}) defined only: starting it would reach outside this host`);
        continue;
      }
      virshOk(['pool-build', d.localName]);
      virshOk(['pool-start', d.localName]);
      started.push(d.localName);
    }
    return started;
  }

  /** Creates a dir pool for a pool the stack only refers to by name (e.g. `default`). */
  private ensurePool(localName: string): void {
    if (this.poolTypes.has(localName)) return;
    const dir = path.join(IMAGES_DIR, localName);
    const el = parseXml(`<pool type='dir'><name>${localName}</name><target><path>${dir}</path></target></pool>`);
    this.poolTypes.set(localName, 'dir');
    this.created.push({ kind: 'pool', name: localName, dir });
    virshOk(['pool-define', xmlFile(this.work, localName, el)]);
    virshOk(['pool-build', localName]);
    virshOk(['pool-start', localName]);
    this.report.notes.push(`pool ${localName} is referenced but not defined by the stack; created as an empty dir pool`);
  }

  // ------------------------------------------------------------------ volumes

  /**
   * Creates every volume in its (local) pool: volumes with downloaded or generated content get a
   * small local image made with qemu-img and uploaded with `vol-upload`; linked clones are created
   * after their backing volume. Returns `pool/volume` for each volume created.
   */
  public applyVolumes(): string[] {
    const done: string[] = [];
    let todo = this.ofKind('volume');
    while (todo.length > 0) {
      const ready = todo.filter((d) => this.backingPath(d) !== null);
      if (ready.length === 0) {
        throw new Error(`unresolvable backing stores: ${todo.map((d) => `${d.doc.address} -> ${text(child(d.local, 'backingStore/path'))}`).join(', ')}`);
      }
      for (const d of ready) done.push(this.createVolume(d));
      todo = todo.filter((d) => !ready.includes(d));
    }
    return done;
  }

  /** The local pool name of a volume, from its `pool` attribute in cdk.tf.json. */
  public volumePool(d: LabDocument): string {
    const pool = this.resolveRef(d, d.resource.pool);
    if (typeof pool !== 'string') throw new Error(`${d.doc.address}: cannot resolve pool ${JSON.stringify(d.resource.pool)}`);
    return this.localPool(d.group, d.prefix, pool);
  }

  /** The backing store path rewritten for the local daemon; null while it is not created yet. */
  private backingPath(d: LabDocument): string | undefined | null {
    const p = child(d.local, 'backingStore/path');
    if (!p) return undefined;
    const resolved = this.resolvePath(d, text(p) ?? '');
    return resolved ?? null;
  }

  private createVolume(d: LabDocument): string {
    const pool = this.volumePool(d);
    this.ensurePool(pool);
    if (this.poolTypes.get(pool) !== 'dir') {
      this.report.notes.push(`volume ${d.doc.name} skipped: its pool ${pool} is of type ${this.poolTypes.get(pool)} and not started`);
      return `${pool}/${d.localName} (skipped)`;
    }
    const name = d.localName;
    const backing = this.backingPath(d);
    if (backing) setText(child(d.local, 'backingStore/path')!, backing);
    const url = attrAt(d.resource, 'create.content.url');
    this.created.push({ kind: 'volume', name, pool });
    if (url !== undefined) {
      const format = child(d.local, 'target/format')?.attrs.type ?? 'raw';
      const qcow2 = format === 'qcow2';
      const file = path.join(this.work, `content-${pool}-${name}`);
      const made = run('qemu-img', ['create', '-q', '-f', qcow2 ? 'qcow2' : 'raw', file, qcow2 ? BASE_IMAGE_SIZE : PLACEHOLDER_SIZE]);
      if (!made.ok) throw new Error(`qemu-img create failed: ${made.stderr}`);
      if (format === 'iso') markAsIso(file);
      const size = fs.statSync(file).size;
      const el = parseXml(`<volume><name>${name}</name><capacity unit='bytes'>${qcow2 ? 64 * 1024 * 1024 : size}</capacity>`
        + `<target><format type='${format}'/></target></volume>`);
      virshOk(['vol-create', pool, xmlFile(this.work, `vol-${pool}-${name}`, el)]);
      virshOk(['vol-upload', '--pool', pool, name, file]);
      const kind = qcow2 ? `${BASE_IMAGE_SIZE} qcow2 image` : `${PLACEHOLDER_SIZE} ${format === 'iso' ? 'ISO-signed ' : ''}placeholder`;
      this.report.notes.push(`volume ${d.doc.name}: content ${String(url)} replaced by a local ${kind} (no network access)`);
    } else {
      virshOk(['vol-create', pool, xmlFile(this.work, `vol-${pool}-${name}`, d.local)]);
    }
    const volPath = virshOk(['vol-path', '--pool', pool, name]).trim();
    this.volumePaths.set(`${d.stackName}/${d.doc.address}`, volPath);
    this.volumePaths.set(`${pool}/${name}`, volPath);
    return `${pool}/${name}`;
  }

  /** Reads a created volume back: capacity in bytes, format, backing store path. */
  public volumeInfo(pool: string, name: string): { capacity: number; format?: string; backing?: string } {
    const el = parseXml(virshOk(['vol-dumpxml', '--pool', pool, name]));
    return {
      capacity: Number(text(child(el, 'capacity'))),
      format: child(el, 'target/format')?.attrs.type,
      backing: text(child(el, 'backingStore/path')),
    };
  }

  // ------------------------------------------------------------------ networks

  /**
   * Defines every network; starts (and stops again) only isolated ones, i.e. without `<forward>`.
   * Returns the names of the networks it started.
   */
  public applyNetworks(): string[] {
    const started: string[] = [];
    for (const d of this.ofKind('network')) {
      this.created.push({ kind: 'network', name: d.localName });
      virshOk(['net-define', xmlFile(this.work, d.localName, d.local)]);
      const forward = child(d.local, 'forward');
      if (forward) {
        this.report.notes.push(`network ${d.doc.name} (forward mode ${forward.attrs.mode ?? 'nat'}) defined only`);
        continue;
      }
      virshOk(['net-start', d.localName]);
      const active = virshOk(['net-info', d.localName]);
      if (!/^Active:\s+yes/m.test(active)) throw new Error(`network ${d.localName} did not become active`);
      started.push(d.localName);
      this.report.started.push(`network ${d.localName}`);
      // Stop it again at once: hosts of a multi-host app may reuse the same subnet.
      virshOk(['net-destroy', d.localName]);
    }
    return started;
  }

  // ------------------------------------------------------------------ domains

  /** Defines every domain (type forced to qemu) and returns mismatches between asked and read-back XML. */
  public defineDomains(): string[] {
    const mismatches: string[] = [];
    for (const d of this.ofKind('domain')) {
      this.ensureDiskVolumes(d);
      this.created.push({ kind: 'domain', name: d.localName });
      virshOk(['define', xmlFile(this.work, d.localName, d.local)]);
      const actual = parseXml(virshOk(['dumpxml', '--inactive', d.localName]));
      for (const m of compareDomain(d.local, actual)) mismatches.push(`${d.doc.address} (${d.doc.constructPath}): ${m}`);
    }
    return mismatches;
  }

  /** True when a guest has a PCI hostdev, a hostdev interface or a NIC on an SR-IOV pool network. */
  public hasPassthrough(d: LabDocument): boolean {
    const devices = child(d.local, 'devices');
    if (children(devices, 'hostdev').length > 0) return true;
    return children(devices, 'interface').some((i) => this.isPassthroughNic(d, i));
  }

  private isPassthroughNic(d: LabDocument, nic: XmlElement): boolean {
    if (nic.attrs.type === 'hostdev') return true;
    if (nic.attrs.type !== 'network') return false;
    const net = this.ofKind('network').find((n) => n.group === d.group && n.localName === child(nic, 'source')?.attrs.network);
    const mode = net && child(net.local, 'forward')?.attrs.mode;
    return mode === 'hostdev';
  }

  /**
   * Starts a boot-disk-only copy of a guest (no NIC, no host device, no CD-ROM, no extra disk),
   * checks that it reaches `running`, and destroys it. Returns its domstate while running.
   */
  public startBootCopy(d: LabDocument): string {
    const copy = cloneXml(d.local);
    const name = `${d.localName}-boot`;
    setText(child(copy, 'name')!, name);
    const devices = child(copy, 'devices');
    const stripped: string[] = [];
    if (devices) {
      const disks = children(devices, 'disk').filter((k) => (k.attrs.device ?? 'disk') === 'disk');
      const boot = [...disks].sort((a, b) => bootOrder(a) - bootOrder(b))[0];
      const removed = removeChildren(devices, (c) =>
        ['interface', 'hostdev', 'tpm', 'filesystem'].includes(c.name) || (c.name === 'disk' && c !== boot));
      for (const r of removed) stripped.push(lastChildName(r) + (r.attrs.device ? `(${r.attrs.device})` : ''));
    }
    stripped.push(...this.tcgFixups(copy));
    this.report.notes.push(`boot copy of ${d.doc.name}: removed ${stripped.length ? [...new Set(stripped)].join(', ') : 'nothing'}`);
    this.created.push({ kind: 'domain', name });
    virshOk(['define', xmlFile(this.work, name, copy)]);
    virshOk(['start', name], 90_000);
    const state = virshOk(['domstate', name]).trim();
    this.report.started.push(`domain ${name}: ${state}`);
    virsh(['destroy', name]);
    return state;
  }

  /**
   * Tries to start a copy of a guest that keeps its PCI hostdevs and hostdev/VF NICs but no other
   * NIC; returns libvirt's error message (undefined if it started, which it must not on this host).
   */
  public startPassthroughCopy(d: LabDocument): string | undefined {
    const copy = cloneXml(d.local);
    const name = `${d.localName}-pt`;
    setText(child(copy, 'name')!, name);
    const devices = child(copy, 'devices');
    if (devices) {
      // NICs on an SR-IOV pool network fail on the (never started) network; drop them when the
      // guest has PCI devices of its own, so that libvirt answers about those.
      const direct = children(devices, 'hostdev').length > 0
        || children(devices, 'interface').some((i) => i.attrs.type === 'hostdev');
      removeChildren(devices, (c) => (c.name === 'interface' && (!this.isPassthroughNic(d, c) || (direct && c.attrs.type !== 'hostdev')))
        || (c.name === 'disk' && c.attrs.device === 'cdrom') || c.name === 'tpm' || c.name === 'filesystem');
    }
    this.tcgFixups(copy);
    this.created.push({ kind: 'domain', name });
    virshOk(['define', xmlFile(this.work, name, copy)]);
    const r = virsh(['start', name], 90_000);
    if (r.ok) {
      virsh(['destroy', name]);
      return undefined;
    }
    const message = r.stderr.split('\n').map((l) => l.replace(/^error:\s*/, '').trim()).filter(Boolean).join(' / ');
    this.report.expectedFailures.push({ domain: d.doc.name, message });
    return message;
  }

  /** Makes a copy startable under TCG in a container: what only KVM or extra privileges offer. */
  private tcgFixups(dom: XmlElement): string[] {
    const changed: string[] = [];
    const cpu = child(dom, 'cpu');
    if (cpu && cpu.attrs.mode === 'host-passthrough') {
      removeChildren(dom, (c) => c === cpu);
      changed.push("cpu mode='host-passthrough' (KVM only)");
    }
    const mb = child(dom, 'memoryBacking');
    if (mb) {
      const gone = removeChildren(mb, (c) => c.name === 'locked' || c.name === 'hugepages');
      for (const g of gone) changed.push(`memoryBacking/${g.name} (needs host setup)`);
      if (children(mb).length === 0) removeChildren(dom, (c) => c === mb);
    }
    const osEl = child(dom, 'os');
    if (osEl) {
      const gone = removeChildren(osEl, (c) => c.name === 'nvram');
      if (gone.length) changed.push('os/nvram (libvirt makes a fresh one)');
    }
    removeChildren(dom, (c) => c.name === 'uuid');
    return changed;
  }

  /** Creates placeholder volumes for disks that use volumes the stack does not create (imported images). */
  private ensureDiskVolumes(d: LabDocument): void {
    for (const disk of children(child(d.local, 'devices'), 'disk')) {
      const src = child(disk, 'source');
      if (disk.attrs.type !== 'volume' || !src?.attrs.pool || !src.attrs.volume) continue;
      const key = `${src.attrs.pool}/${src.attrs.volume}`;
      if (this.volumePaths.has(key)) continue;
      if (src.attrs.pool.includes('@{') || src.attrs.volume.includes('@{')) {
        throw new Error(`${d.doc.address}: disk source not resolved: ${key}`);
      }
      this.ensurePool(src.attrs.pool);
      const format = child(disk, 'driver')?.attrs.type ?? 'raw';
      const el = parseXml(`<volume><name>${src.attrs.volume}</name><capacity unit='MiB'>64</capacity>`
        + `<target><format type='${format}'/></target></volume>`);
      this.created.push({ kind: 'volume', name: src.attrs.volume, pool: src.attrs.pool });
      virshOk(['vol-create', src.attrs.pool, xmlFile(this.work, `vol-${key.replace('/', '-')}`, el)]);
      this.volumePaths.set(key, virshOk(['vol-path', '--pool', src.attrs.pool, src.attrs.volume]).trim());
      this.report.notes.push(`volume ${key} is used by ${d.doc.name} but not created by the stack; created empty (${format}, 64 MiB)`);
    }
  }

  // ------------------------------------------------------------------ teardown

  /** Removes everything created, by name, newest first; never throws. Returns what could not be removed. */
  public teardown(): string[] {
    const leftovers: string[] = [];
    for (const c of [...this.created].reverse()) {
      if (c.kind === 'domain') {
        virsh(['destroy', c.name]);
        if (!virsh(['undefine', '--nvram', c.name]).ok) virsh(['undefine', c.name]);
        if (virsh(['dominfo', c.name]).ok) leftovers.push(`domain ${c.name}`);
      } else if (c.kind === 'network') {
        virsh(['net-destroy', c.name]);
        virsh(['net-undefine', c.name]);
        if (virsh(['net-info', c.name]).ok) leftovers.push(`network ${c.name}`);
      } else if (c.kind === 'volume') {
        virsh(['vol-delete', '--pool', c.pool!, c.name]);
      } else {
        virsh(['pool-destroy', c.name]);
        if (c.dir) virsh(['pool-delete', c.name]);
        virsh(['pool-undefine', c.name]);
        if (virsh(['pool-info', c.name]).ok) leftovers.push(`pool ${c.name}`);
        // Only ever remove a directory this run named.
        if (c.dir && path.dirname(c.dir) === IMAGES_DIR && path.basename(c.dir).startsWith(this.basePrefix)) {
          fs.rmSync(c.dir, { recursive: true, force: true });
        }
      }
    }
    this.created.length = 0;
    fs.rmSync(this.work, { recursive: true, force: true });
    return leftovers;
  }

  /** Prints what happened. */
  public summary(): string {
    return [
      `${this.example}: ${this.documents.length} documents (${['pool', 'volume', 'network', 'domain']
        .map((k) => `${this.ofKind(k as PreviewDocument['kind']).length} ${k}s`).join(', ')})`,
      ...this.report.started.map((s) => `  started: ${s}`),
      ...this.report.expectedFailures.map((f) => `  failed to start as expected: ${f.domain}: ${f.message}`),
      ...this.report.notes.map((n) => `  note: ${n}`),
    ].join('\n');
  }

  // ------------------------------------------------------------------ rewriting

  private localPool(group: string, prefix: string, name: string): string {
    return this.poolNames.get(group)!.get(name) ?? prefix + name;
  }

  private localNetwork(group: string, prefix: string, name: string): string {
    return this.networkNames.get(group)!.get(name) ?? prefix + name;
  }

  /** Maps a path under a stack pool's target to the local pool's; resolves volume path placeholders. */
  private resolvePath(d: LabDocument, p: string): string | undefined {
    const ph = /^@\{(libvirt_volume\.[^}]+)\.path\}$/.exec(p);
    if (ph) return this.volumePaths.get(`${d.stackName}/${ph[1]}`);
    if (p.includes('@{')) throw new Error(`${d.doc.address}: unresolved placeholder ${p}`);
    const mapped = this.mapPath(d.group, p);
    const pool = [...this.poolPaths.get(d.group)!.entries()].find(([orig]) => p.startsWith(orig + '/'));
    if (!pool) return mapped;
    // A path inside a stack pool: wait until that volume is created.
    return [...this.volumePaths.values()].includes(mapped) ? mapped : undefined;
  }

  private mapPath(group: string, p: string): string {
    const entries = [...this.poolPaths.get(group)!.entries()].sort((a, b) => b[0].length - a[0].length);
    for (const [orig, local] of entries) {
      if (p === orig) return local;
      if (p.startsWith(orig + '/')) return local + p.slice(orig.length);
    }
    return p;
  }

  /** Resolves a literal or a `${libvirt_x.Id.attr}` reference in the stack JSON. */
  private resolveRef(d: LabDocument, value: unknown, depth = 0): unknown {
    if (typeof value !== 'string' || depth > 5) return value;
    const m = /^\$\{(libvirt_[a-z_]+)\.([^.}]+)\.([a-z_]+)\}$/.exec(value);
    if (!m) return value;
    const target = this.documents.find((o) => o.stackName === d.stackName && o.doc.address === `${m[1]}.${m[2]}`);
    if (m[3] === 'name' && target) return target.doc.name;
    const raw = target?.resource?.[m[3]];
    return raw === undefined ? undefined : this.resolveRef(d, raw, depth + 1);
  }

  private rewrite(kind: PreviewDocument['kind'], group: string, prefix: string, el: XmlElement, localName: string): void {
    const nameEl = child(el, 'name');
    if (kind !== 'volume' && nameEl) setText(nameEl, localName);
    removeChildren(el, (c) => c.name === 'uuid');
    if (kind === 'pool') {
      const target = child(el, 'target/path');
      if (el.attrs.type === 'dir' && target) setText(target, path.join(IMAGES_DIR, localName));
    } else if (kind === 'network') {
      const forward = child(el, 'forward');
      const bridge = child(el, 'bridge');
      // A bridge this network creates gets a libvirt-chosen name, so nothing on the host collides.
      if (bridge && forward?.attrs.mode !== 'bridge') delete bridge.attrs.name;
      removeChildren(el, (c) => c.name === 'mac');
    } else if (kind === 'domain') {
      el.attrs.type = 'qemu';
      const devices = child(el, 'devices');
      for (const disk of children(devices, 'disk')) {
        const src = child(disk, 'source');
        if (!src) continue;
        if (src.attrs.pool) src.attrs.pool = this.localPool(group, prefix, src.attrs.pool);
        if (src.attrs.file) src.attrs.file = this.mapPath(group, src.attrs.file);
      }
      for (const nic of children(devices, 'interface')) {
        const src = child(nic, 'source');
        if (nic.attrs.type === 'network' && src?.attrs.network) src.attrs.network = this.localNetwork(group, prefix, src.attrs.network);
      }
    }
  }
}

/**
 * Writes an ISO 9660 primary volume descriptor signature into a blank image, so that libvirt's
 * format probe reports `iso` for it as for a real cloud-init seed. The image is never booted.
 */
function markAsIso(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.from([0x01, ...Buffer.from('CD001'), 0x01]), 0, 7, 0x8000);
  } finally {
    fs.closeSync(fd);
  }
}

function bootOrder(disk: XmlElement): number {
  const b = child(disk, 'boot');
  return b ? Number(b.attrs.order) : Number.MAX_SAFE_INTEGER - 1;
}

function normHex(v: string | undefined): number {
  return v === undefined ? 0 : Number(v);
}

function pciKey(el: XmlElement | undefined): string {
  const a = child(el, 'address') ?? el;
  if (!a) return '?';
  return [normHex(a.attrs.domain), normHex(a.attrs.bus), normHex(a.attrs.slot), normHex(a.attrs.function)].join(':');
}

/** Compares what was asked with what libvirt read back: name, memory, vCPUs, disks, NICs, host devices. */
export function compareDomain(asked: XmlElement, actual: XmlElement): string[] {
  const out: string[] = [];
  const eq = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${what}: asked ${JSON.stringify(a)}, libvirt has ${JSON.stringify(b)}`);
  };
  eq('type', asked.attrs.type, actual.attrs.type);
  eq('name', text(child(asked, 'name')), text(child(actual, 'name')));
  const mem = (el: XmlElement, tag: string) => {
    const m = child(el, tag);
    return m ? toKiB(text(m)!, m.attrs.unit) : undefined;
  };
  eq('memory (KiB)', mem(asked, 'memory'), mem(actual, 'memory'));
  if (child(asked, 'currentMemory')) eq('currentMemory (KiB)', mem(asked, 'currentMemory'), mem(actual, 'currentMemory'));
  eq('vcpu', Number(text(child(asked, 'vcpu')) ?? 1), Number(text(child(actual, 'vcpu'))));
  const machine = child(asked, 'os/type')?.attrs.machine;
  if (machine && !(child(actual, 'os/type')?.attrs.machine ?? '').includes(machine)) {
    out.push(`machine: asked ${machine}, libvirt has ${child(actual, 'os/type')?.attrs.machine}`);
  }
  const disks = (el: XmlElement) => children(child(el, 'devices'), 'disk').map((k) => {
    const src = child(k, 'source');
    return {
      device: k.attrs.device ?? 'disk',
      target: child(k, 'target')?.attrs.dev,
      bus: child(k, 'target')?.attrs.bus,
      source: src ? (src.attrs.pool ? `${src.attrs.pool}/${src.attrs.volume}` : src.attrs.file ?? src.attrs.dev ?? src.attrs.dir) : undefined,
      format: child(k, 'driver')?.attrs.type,
    };
  }).sort((a, b) => String(a.target).localeCompare(String(b.target)));
  const askedDisks = disks(asked);
  const actualDisks = disks(actual);
  eq('disks', askedDisks.map((k) => ({ ...k, bus: k.bus ?? actualDisks.find((x) => x.target === k.target)?.bus })), actualDisks);
  const nics = (el: XmlElement) => children(child(el, 'devices'), 'interface');
  const askedNics = nics(asked);
  const actualNics = nics(actual);
  eq('NIC count', askedNics.length, actualNics.length);
  eq('NIC types', askedNics.map((n) => n.attrs.type), actualNics.map((n) => n.attrs.type));
  askedNics.forEach((n, i) => {
    const mac = child(n, 'mac')?.attrs.address;
    if (mac) eq(`NIC ${i} MAC`, mac.toLowerCase(), child(actualNics[i], 'mac')?.attrs.address?.toLowerCase());
    const model = child(n, 'model')?.attrs.type;
    if (model) eq(`NIC ${i} model`, model, child(actualNics[i], 'model')?.attrs.type);
    if (n.attrs.type === 'network') eq(`NIC ${i} network`, child(n, 'source')?.attrs.network, child(actualNics[i], 'source')?.attrs.network);
    if (n.attrs.type === 'hostdev') eq(`NIC ${i} VF address`, pciKey(child(n, 'source')), pciKey(child(actualNics[i], 'source')));
  });
  const hostdevs = (el: XmlElement) => children(child(el, 'devices'), 'hostdev')
    .map((h) => `${h.attrs.type}:${h.attrs.type === 'pci' ? pciKey(child(h, 'source')) : ''}`).sort();
  eq('hostdevs', hostdevs(asked), hostdevs(actual));
  return out;
}
