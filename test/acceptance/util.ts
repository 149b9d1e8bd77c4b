import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const URI = 'qemu:///system';
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where dir pools of the suite live: readable by the `libvirt-qemu` user. */
export const IMAGES_DIR = '/var/lib/libvirt/images';

export interface RunResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command with a timeout and returns its outcome instead of throwing. */
export function run(cmd: string, args: string[], timeoutMs = 60_000): RunResult {
  try {
    const stdout = execFileSync(cmd, args, {
      encoding: 'utf8',
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    return { ok: true, stdout, stderr: '' };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    return { ok: false, stdout: String(err.stdout ?? ''), stderr: String(err.stderr ?? '') || err.message };
  }
}

/** `virsh -q -c qemu:///system ARGS`, returning the outcome. */
export function virsh(args: string[], timeoutMs = 60_000): RunResult {
  return run('virsh', ['-q', '-c', URI, ...args], timeoutMs);
}

/** `virsh ARGS`, throwing with libvirt's message when it fails. */
export function virshOk(args: string[], timeoutMs = 60_000): string {
  const r = virsh(args, timeoutMs);
  if (!r.ok) throw new Error(`virsh ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

/** True when `virsh -c qemu:///system version` answers within a few seconds. */
export function daemonAnswers(timeoutMs = 5_000): boolean {
  return run('virsh', ['-c', URI, 'version'], timeoutMs).ok;
}

/** True when `cmd` is on PATH. */
export function onPath(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((d) => d !== '' && fs.existsSync(path.join(d, cmd)));
}

/** The example apps: every examples/NAME/main.ts, sorted by name. */
export function exampleNames(): string[] {
  const dir = path.join(ROOT, 'examples');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .filter((n) => fs.existsSync(path.join(dir, n, 'main.ts')))
    .sort();
}

export interface SynthesizedStack {
  readonly stackName: string;
  readonly json: any;
}

/**
 * Synthesizes an example in a child process (`node scripts/run-example.js NAME`, which bundles it
 * with esbuild) into a temporary outdir (cdktf's `App` reads `CDKTF_OUTDIR`), and returns its stacks.
 */
export function synthExample(name: string): SynthesizedStack[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `acc-${name}-`));
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'run-example.js'), name], {
      cwd: ROOT,
      timeout: 120_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
    });
    const stacksDir = path.join(outdir, 'stacks');
    return fs.readdirSync(stacksDir).sort().map((stackName) => ({
      stackName,
      json: JSON.parse(fs.readFileSync(path.join(stacksDir, stackName, 'cdk.tf.json'), 'utf8')),
    }));
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`synthesizing examples/${name} failed: ${err.stderr?.toString() || err.message}`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Converts a libvirt size (value + unit, as in `<memory unit=...>`) to KiB. */
export function toKiB(value: string | number, unit: string | undefined): number {
  const n = Number(value);
  const u = (unit ?? 'KiB').toLowerCase();
  const factors: Record<string, number> = {
    b: 1 / 1024,
    bytes: 1 / 1024,
    kb: 1000 / 1024,
    k: 1,
    kib: 1,
    mb: 1e6 / 1024,
    m: 1024,
    mib: 1024,
    gb: 1e9 / 1024,
    g: 1024 ** 2,
    gib: 1024 ** 2,
    tb: 1e12 / 1024,
    t: 1024 ** 3,
    tib: 1024 ** 3,
  };
  const f = factors[u];
  if (f === undefined) throw new Error(`unknown size unit ${unit}`);
  return Math.round(n * f);
}

/** The value of a resource attribute in the synthesized JSON, e.g. `create.content.url`. */
export function attrAt(resource: any, dotted: string): unknown {
  let cur = resource;
  for (const k of dotted.split('.')) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** The resource object behind a preview address like `libvirt_volume.Root`. */
export function resourceAt(stack: any, address: string): any {
  const dot = address.indexOf('.');
  return stack.resource?.[address.slice(0, dot)]?.[address.slice(dot + 1)];
}
