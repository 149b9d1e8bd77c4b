/**
 * One benchmark measurement, run in a fresh process by benchmarks/run.js:
 *
 *   node .build/benchmarks/synth.js <l1|hl|hl-nv> <guests> <hosts> <outdir>
 *
 * `hl-nv` is the high-level lab synthesized with `new App({ skipValidation: true })`: it shows
 * the layer's own cost without construct validations, among them cdktf's check on every
 * `terraform_data` resource, which runs `terraform version` once per resource.
 *
 * Builds the lab (construct tree) and synthesizes it into <outdir>, then prints one JSON line:
 * wall time and CPU time (user + system) of construct + synth, the process's peak RSS, and the
 * synthesized resource counts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { App, TerraformStack } from 'cdktf';
import { buildHighLevelLab } from './high-level';
import { buildL1Lab } from './l1';

function main(argv: string[]): void {
  const [variant, guestsArg, hostsArg, outdir] = argv;
  const guests = Number(guestsArg);
  const hosts = Number(hostsArg);
  if (!['l1', 'hl', 'hl-nv'].includes(variant) || !(guests > 0) || !(hosts > 0) || !outdir) {
    throw new Error('usage: synth.js <l1|hl|hl-nv> <guests> <hosts> <outdir>');
  }
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir, skipValidation: variant === 'hl-nv' });
  const stack = new TerraformStack(app, 'lab');
  (variant === 'l1' ? buildL1Lab : buildHighLevelLab)(stack, { guests, hosts });
  app.synth();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const maxRssKiB = process.resourceUsage().maxRSS;

  const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'lab', 'cdk.tf.json'), 'utf8'));
  const resources: Record<string, number> = {};
  for (const [type, byId] of Object.entries<Record<string, unknown>>(json.resource ?? {})) {
    resources[type] = Object.keys(byId).length;
  }
  process.stdout.write(JSON.stringify({ variant, guests, hosts, wallMs, cpuMs, maxRssKiB, resources }) + '\n');
}

main(process.argv.slice(2));
