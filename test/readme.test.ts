import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync } from 'esbuild';

const REPO = path.resolve(__dirname, '..');

/** The first ```ts block under the README's "## Quick start" heading. */
function quickStartCode(): string {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.split(/^## Quick start$/m)[1] ?? '';
  const m = /```ts\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README has no ```ts block under "## Quick start"');
  return m[1];
}

describe('README', () => {
  test('has a quick start of under 30 lines of code', () => {
    expect(quickStartCode().trim().split('\n').length).toBeLessThan(30);
  });

  test('quick start synthesizes as written, with the package name resolving to this library', () => {
    // GIVEN the quick start, bundled with 'cdktf-libvirt' pointing at src/
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-libvirt-readme-'));
    try {
      const bundle = path.join(work, 'quickstart.js');
      buildSync({
        stdin: { contents: quickStartCode(), loader: 'ts', resolveDir: REPO, sourcefile: 'README-quickstart.ts' },
        outfile: bundle,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        alias: { 'cdktf-libvirt': path.join(REPO, 'src', 'index.ts') },
        external: ['cdktf', 'constructs'],
        nodePaths: [path.join(REPO, 'node_modules')],
        logLevel: 'silent',
      });
      // WHEN it runs as an app
      const outdir = path.join(work, 'out');
      execFileSync(process.execPath, [bundle], {
        cwd: REPO,
        env: { ...process.env, CDKTF_OUTDIR: outdir, NODE_PATH: path.join(REPO, 'node_modules') },
        stdio: 'pipe',
      });
      // THEN it produced what the README says it does
      const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'lab', 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(stack.resource.libvirt_domain)).toHaveLength(3);
      expect(Object.keys(stack.resource.libvirt_cloudinit_disk)).toHaveLength(3);
      expect(Object.keys(stack.resource.libvirt_pool)).toHaveLength(1);
      const network: any = Object.values(stack.resource.libvirt_network)[0];
      expect(network.ips[0].dhcp.hosts.map((h: any) => `${h.name}=${h.ip}`)).toEqual(['web-1=10.77.0.2', 'web-2=10.77.0.3', 'web-3=10.77.0.4']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});
