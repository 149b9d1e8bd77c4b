import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';

const REPO = path.resolve(__dirname, '..');

/** A fresh app and stack for one test. */
export function newStack(id: string = 'test'): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  return { app, stack };
}

/** The synthesized stack as a parsed object. */
export function synthJson(stack: TerraformStack, runValidations: boolean = false): any {
  return JSON.parse(Testing.synth(stack, runValidations));
}

/** Every example app under examples/ (a folder with a main.ts). */
export function exampleNames(): string[] {
  const dir = path.join(REPO, 'examples');
  return fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'main.ts'))).sort();
}

/**
 * Synthesizes `examples/<name>` the way `npx cdktf synth` runs it (scripts/run-example.js, in its own
 * process) into a fresh directory, and returns each stack's cdk.tf.json text by stack name.
 */
export function synthExample(name: string): Record<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-libvirt-${name}-`));
  try {
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'run-example.js'), name], {
      cwd: REPO,
      env: { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const stacksDir = path.join(outdir, 'stacks');
    const out: Record<string, string> = {};
    for (const stack of fs.readdirSync(stacksDir).sort()) {
      out[stack] = fs.readFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), 'utf8');
    }
    return out;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
