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

/**
 * A dependency cycle among a stack's resources as Terraform would see it (`${type.name...}`
 * references anywhere in a resource, and `lifecycle.replace_triggered_by` addresses), or [].
 */
export function referenceCycle(stack: any): string[] {
  const edges = new Map<string, Set<string>>();
  for (const [type, byName] of Object.entries<any>(stack.resource ?? {})) {
    for (const [name, body] of Object.entries<any>(byName)) {
      const deps = new Set<string>();
      const text = JSON.stringify({ ...body, lifecycle: undefined });
      for (const m of text.matchAll(/\$\{(\w+)\.(\w+)/g)) deps.add(`${m[1]}.${m[2]}`);
      for (const t of body.lifecycle?.replace_triggered_by ?? []) deps.add(String(t).split('.').slice(0, 2).join('.'));
      edges.set(`${type}.${name}`, deps);
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): string[] => {
    if (state.get(node) === 'done' || !edges.has(node)) return [];
    if (state.get(node) === 'open') return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, 'open');
    trail.push(node);
    for (const dep of edges.get(node)!) {
      const cycle = visit(dep);
      if (cycle.length) return cycle;
    }
    trail.pop();
    state.set(node, 'done');
    return [];
  };
  for (const node of edges.keys()) {
    const cycle = visit(node);
    if (cycle.length) return cycle;
  }
  return [];
}
