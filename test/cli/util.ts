import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CliIo, main } from '../../src/cli/main';

/** The result of one CLI run. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process in `cwd`, with `PATH` as given (default: the real one). */
export function runCli(args: string[], cwd: string, pathEnv: string | undefined = process.env.PATH): CliRun {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { PATH: pathEnv }, cwd };
  const code = main(args, io);
  return { code, stdout, stderr };
}

const created: string[] = [];

/** Removes the directories made by `tempProject`. */
export function removeTempProjects(): void {
  for (const dir of created.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A temporary directory with `cdktf.out/stacks/<name>/cdk.tf.json` for each stack; returns its path. */
export function tempProject(stacks: Record<string, any>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-libvirt-cli-'));
  created.push(dir);
  for (const [name, json] of Object.entries(stacks)) {
    const stackDir = path.join(dir, 'cdktf.out', 'stacks', name);
    fs.mkdirSync(stackDir, { recursive: true });
    fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  }
  return dir;
}

/** A small valid stack: a pool, a volume and a domain. */
export function labStack(): any {
  return {
    resource: {
      libvirt_pool: { Pool: { '//': { metadata: { path: 'lab/Pool' } }, 'name': 'lab', 'type': 'dir', 'target': { path: '/srv/lab' } } },
      libvirt_volume: { Root: { '//': { metadata: { path: 'lab/Root' } }, 'name': 'root.qcow2', 'pool': '${libvirt_pool.Pool.name}', 'capacity': 10, 'capacity_unit': 'GiB' } },
      libvirt_domain: {
        Vm: {
          '//': { metadata: { path: 'lab/Vm' } },
          'name': 'vm',
          'type': 'kvm',
          'memory': 1,
          'memory_unit': 'GiB',
          'devices': { disks: [{ source: { volume: { pool: '${libvirt_volume.Root.pool}', volume: '${libvirt_volume.Root.name}' } }, target: { dev: 'vda', bus: 'virtio' } }] },
        },
      },
    },
  };
}
