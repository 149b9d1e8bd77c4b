#!/usr/bin/env node
// Synth benchmark: labs of 10, 100 and 1000 guests over 1 and 10 hosts, each built (a) directly
// with the L1 bindings and (b) with the high-level constructs - synthesized as users do (b) and
// with construct validations skipped (b-nv) - each measurement in a fresh child process (wall
// time of construct + synth, peak RSS); medians go to benchmarks/RESULTS.md.
//
//   node benchmarks/run.js [--runs N] [--runs-10 N] [--runs-1000 N] [--hl-runs N] [--timeout S]
//                          [--guests 10,100] [--hosts 1] [--out FILE]
//
// The variants run interleaved, round by round; a lab's ratio is the median of its rounds'
// ratios, so drift on the machine cancels out, shown with the middle half of those ratios. The
// 10-guest labs take a fraction of a second, so they run more rounds (--runs-10): their
// ratios spread most. Every measurement is stopped after --timeout
// seconds (default 120) and reported as such.
//
// The lab builders are bundled with src/ by esbuild (like scripts/run-example.js), so no
// type-checking start is measured. Nothing is contacted: the benchmark only synthesizes.
'use strict';
process.env.CHECKPOINT_DISABLE = '1';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const RUNS = Number(arg('runs', '9'));
const RUNS_10 = Number(arg('runs-10', '41'));
const RUNS_1000 = Number(arg('runs-1000', '5'));
const HL_RUNS = Number(arg('hl-runs', String(Math.max(RUNS, RUNS_10, RUNS_1000))));
const runsFor = (guests) => (guests >= 1000 ? RUNS_1000 : guests <= 10 ? RUNS_10 : RUNS);
const TIMEOUT_S = Number(arg('timeout', '120'));
const VARIANTS = ['l1', 'hl-nv', 'hl'];
const GUESTS = arg('guests', '10,100,1000').split(',').map(Number);
const HOSTS = arg('hosts', '1,10').split(',').map(Number);
const OUT = path.resolve(arg('out', path.join(root, 'benchmarks', 'RESULTS.md')));
const TARGET_RATIO = 1.25;
const TARGET_1000_MS = 10_000;


// Typed L1 bindings first (a no-op when current), then the bundle.
const tasks = require(path.join(root, '.projen', 'tasks.json')).tasks;
execFileSync('sh', ['-c', tasks['gen:bindings'].steps[0].exec], { cwd: root, stdio: 'inherit' });
const bundle = path.join(root, '.build', 'benchmarks', 'synth.js');
require('esbuild').buildSync({
  entryPoints: [path.join(root, 'benchmarks', 'synth.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['cdktf', 'constructs'],
  logLevel: 'warning',
});

function measure(variant, guests, hosts) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${variant}-`));
  try {
    const out = execFileSync(process.execPath, [bundle, variant, String(guests), String(hosts), outdir], {
      cwd: root,
      encoding: 'utf8',
      timeout: TIMEOUT_S * 1000,
      killSignal: 'SIGKILL',
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
    });
    return JSON.parse(out.trim().split('\n').pop());
  } catch (e) {
    if (e.signal === 'SIGKILL' || e.code === 'ETIMEDOUT') return { timedOut: true };
    throw e;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The q-quantile of xs (0.5: the median), interpolated between the two nearest samples. */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo] + (s[lo + 1] - s[lo]) * (at - lo) : s[lo];
}

function median(xs) {
  return quantile(xs, 0.5);
}

function sh(cmd) {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const rows = [];
const t0 = Date.now();
const loadAtStart = os.loadavg().map((l) => l.toFixed(1)).join(', ');
for (const guests of GUESTS) {
  for (const hosts of HOSTS) {
    const samples = { 'l1': [], 'hl-nv': [], 'hl': [] };
    const runs = runsFor(guests);
    for (let r = 0; r < runs; r++) {
      // Interleaved, so drift on the machine affects the variants alike.
      for (const variant of VARIANTS) {
        if (variant === 'hl' && r >= HL_RUNS) continue;
        if (samples[variant].some((s) => s.timedOut)) continue;
        samples[variant].push(measure(variant, guests, hosts));
      }
    }
    const cell = (v) => {
      if (samples[v].length === 0) return { skipped: true, timedOut: true, runs: 0 };
      const ok = samples[v].filter((s) => !s.timedOut);
      if (ok.length === 0) return { timedOut: true, runs: 0 };
      const resources = Object.values(ok[0].resources).reduce((a, b) => a + b, 0);
      const libvirt = Object.entries(ok[0].resources).filter(([t]) => t.startsWith('libvirt_')).reduce((a, [, n]) => a + n, 0);
      return {
        ms: median(ok.map((s) => s.wallMs)),
        rssMiB: median(ok.map((s) => s.maxRssKiB)) / 1024,
        resources, libvirt, runs: ok.length,
      };
    };
    // Paired by round: each HL run against the L1 run just before it.
    const paired = (v, key) => {
      const rs = samples[v].map((s, i) => (s.timedOut || samples.l1[i].timedOut ? undefined : s[key] / samples.l1[i][key]))
        .filter((r) => r !== undefined);
      return rs.length ? { median: median(rs), q1: quantile(rs, 0.25), q3: quantile(rs, 0.75) } : undefined;
    };
    const row = {
      guests, hosts, l1: cell('l1'), nv: cell('hl-nv'), hl: cell('hl'),
      ratio: { nv: paired('hl-nv', 'wallMs'), hl: paired('hl', 'wallMs'), hlCpu: paired('hl', 'cpuMs') },
    };
    rows.push(row);
    const show = (c) => (c.skipped ? 'not run' : c.timedOut ? `> ${TIMEOUT_S} s` : `${c.ms.toFixed(0)} ms ${c.rssMiB.toFixed(0)} MiB`);
    console.log(`${guests} guests / ${hosts} hosts: L1 ${show(row.l1)}; high-level, validations skipped ${show(row.nv)}; `
      + `high-level ${show(row.hl)}`);
  }
}

const f1 = (n) => n.toFixed(1);
const f2 = (n) => n.toFixed(2);
const ms = (c) => (c.skipped ? 'not run' : c.timedOut ? `> ${TIMEOUT_S * 1000} (stopped)` : `${c.ms.toFixed(0)}${c.runs > 1 ? '' : ' ¹'}`);
const mib = (c) => (c.timedOut ? '–' : f1(c.rssMiB));
const ratio = (r, v) => {
  const a = r[v === 'hlCpu' ? 'hl' : v];
  if (a.skipped || r.l1.skipped || r.l1.timedOut) return '–';
  if (a.timedOut) return `> ${f2((TIMEOUT_S * 1000) / r.l1.ms)}`;
  const { median: m, q1, q3 } = r.ratio[v];
  return `${f2(m)} (${f2(q1)}–${f2(q3)})`;
};
const res = (c) => (c.timedOut ? '–' : `${c.resources} (${c.libvirt})`);
const finite = (c) => !c.timedOut;
const ratios = (key) => rows.filter((r) => finite(r[key]) && finite(r.l1)).map((r) => r.ratio[key].median);
const verdict = (key) => {
  const rs = ratios(key);
  const stopped = rows.some((r) => r[key].timedOut && !r[key].skipped);
  if (rs.length === 0) return 'not measured';
  const worst = Math.max(...rs);
  return `worst ratio ${stopped ? `> ${f2(worst)} (some labs stopped at ${TIMEOUT_S} s)` : f2(worst)} — **${!stopped && worst <= TARGET_RATIO ? 'met' : 'NOT met'}**`;
};
const thousand = (key) => {
  const cells = rows.filter((r) => r.guests === 1000).map((r) => r[key]).filter((c) => !c.skipped);
  if (cells.length === 0) return 'not measured in this run';
  if (cells.some((c) => c.timedOut)) return `stopped after ${TIMEOUT_S} s — **NOT met**`;
  const slowest = Math.max(...cells.map((c) => c.ms));
  return `slowest ${f1(slowest / 1000)} s — **${slowest < TARGET_1000_MS ? 'met' : 'NOT met'}**`;
};
const lines = [
  '# Synth benchmark',
  '',
  'Generated by `node benchmarks/run.js` (do not edit by hand). Wall time covers building the construct tree and '
    + '`app.synth()` (writing cdk.tf.json), not Node start-up or module loading; each measurement runs in a fresh Node '
    + `process. Times are medians of ${RUNS} runs (${RUNS_10} for 10 guests, ${RUNS_1000} for 1000 guests; ¹ marks a single run)${HL_RUNS < Math.max(RUNS, RUNS_10, RUNS_1000) ? `; the high-level lab with validations runs at most ${HL_RUNS} times` : ''}. `
    + 'The variants run interleaved, round by round, and a ratio is the median of the rounds\' ratios (each HL run '
    + 'against the L1 run just before it), so drift on the machine cancels out; in brackets, the middle half of the '
    + 'rounds\' ratios (first to third quartile), which shows how much one round can tell. Wall time is the measure; the CPU-time '
    + `ratio (user + system) is shown beside it because this virtual machine's wall times are noisy. Measurements are stopped after ${TIMEOUT_S} s. `
    + "Peak RSS is the process's `maxRSS`, module loading included.",
  '',
  '- **L1**: the lab written by hand against the generated bindings (benchmarks/l1.ts).',
  '- **HL**: the same lab with `StoragePool`, `BaseImage`, `IsolatedNetwork` and `VmCluster` (benchmarks/high-level.ts), '
    + 'synthesized as users do. The high-level layer also emits one shared `terraform_data` replace trigger per stack.',
  '- **HL-nv**: HL synthesized with `new App({ skipValidation: true })`: the layer\'s own cost. The difference to HL is '
    + 'construct validation, dominated by cdktf\'s `ValidateTerraformVersion` on every `terraform_data` (`DataResource`), '
    + 'which runs `terraform version` in a child process once per resource.',
  '- Per host: a dir pool, a base image (URL), an isolated /20 network with a DHCP lease and DNS record per guest. '
    + 'Per guest: a linked-clone boot disk, a cloud-init seed (disk + ISO volume) and a domain with one NIC, console, '
    + 'guest agent, RNG and balloon. Guests in groups of 100, round-robin over the hosts.',
  '',
  '| guests | hosts | L1 (ms) | HL-nv (ms) | HL (ms) | HL-nv / L1 | HL / L1 | HL / L1 (CPU) | L1 RSS (MiB) | HL-nv RSS (MiB) | HL RSS (MiB) | resources L1 / HL (libvirt_*) |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.guests} | ${r.hosts} | ${ms(r.l1)} | ${ms(r.nv)} | ${ms(r.hl)} | ${ratio(r, 'nv')} | `
    + `${ratio(r, 'hl')} | ${ratio(r, 'hlCpu')} | ${mib(r.l1)} | ${mib(r.nv)} | ${mib(r.hl)} | ${res(r.l1)} / ${res(r.nv)} |`),
  '',
  '## Targets',
  '',
  `- High-level synth at most ${TARGET_RATIO}x L1, as users run it (HL): ${verdict('hl')}.`,
  `- The same without construct validations (HL-nv): ${verdict('nv')}.`,
  `- 1000 guests synthesize in under 10 s with the high-level layer: HL ${thousand('hl')}; HL-nv ${thousand('nv')}; `
    + `L1 for reference ${thousand('l1')}.`,
  '',
  '## Where the time goes (CPU profiles, callgrind instruction counts, page-fault counts; 2026-11-24)',
  '',
  'Fixed, in the order found:',
  '',
  '- `terraform version` once per `terraform_data`: cdktf\'s `DataResource` validation took 20 of 30 s of a 20-guest '
    + 'synth. The replace triggers are the library\'s own `ReplaceTrigger` resource, without that check.',
  '- A full stack trace per nested attribute object: the generated L1 classes built one `ComplexObject` (and cdktf '
    + 'captured and formatted a full stack trace for it) for every nested attribute, about 343 per guest. '
    + 'scripts/generate-bindings.js rewrites them to be created only when a program asks for one; a value given in the '
    + 'constructor or a put-method is kept as given until then. Stack captures per guest went from 343 to 29, then to '
    + '9 (L1) and 3 (HL). 1000 guests: 30 s to about 4 s (L1), 37 s to about 4.5 s (HL).',
  '- One `terraform_data` per pool, volume and network: now one shared per stack.',
  '- cdktf `Lazy` values inside the library (replace-trigger addresses, network parts, network-config): each recorded '
    + 'a stack trace. They are the library\'s own `Produced` values or, for the trigger addresses, plain text.',
  '- The `yaml` library for the small per-guest cloud-init documents: its first use alone cost about 20 ms. They are '
    + 'written directly where the text is known to be plain YAML 1.1 (tests compare the two writers).',
  '- Network rendering: each of a network\'s eight attribute Tokens rendered all eight parts, and DNS records were '
    + 'sorted with ipaddr.js parsing inside the comparator.',
  '- NIC and hostdev blocks built with spread syntax: V8 reads such objects about 3.5x slower in the generated '
    + '`...ToTerraform` functions. They are built with `Object.assign`.',
  '- Replace-trigger work in cdktf\'s "preparing" pass (skipped; its Tokens are walked in the owners\' attributes) and '
    + 'one more Token per volume for the disk\'s pool (now the pool\'s own name reference).',
  '- Network digests in lower-case hex: cdktf scans every string for encoded number Tokens with a loose pattern that '
    + 'hex such as `335e2615` matches, and the first such string after cdktf\'s `resolve` had been optimized cost a '
    + 'deoptimization and a second optimization of it: about 90 M instructions (callgrind, single-threaded) of a '
    + 'window of about 1150 M. Digests are upper-case hex.',
  '- Two-byte strings: constructs keeps child ids as object keys, which turns an id built at run time (`Node${i}`) '
    + 'into a V8 "thin" string, and `Array.prototype.join` makes two-byte text of it until the next garbage '
    + 'collection. cdktf\'s logical IDs of nested resources are such joins, so the references to them and at last '
    + 'the whole cdk.tf.json text were two-byte strings: twice the memory. The library\'s constructs pass their ids '
    + 'on as the engine\'s shared (internalized) copy. Minor page faults in the window went from about 4100 to 3870 '
    + '(L1: about 3550); on this virtual machine a minor page fault costs about 14 µs (measured by touching fresh '
    + 'memory), so page faults are a large part of every synth here.',
  '- Replace-trigger entries as nested objects: cdktf walks each produced value twice more. Each entry is one JSON '
    + 'text now (Terraform\'s plan shows it as a `jsonencode(...)` diff): about 13 M instructions less. '
    + 'Wall-time rounds had not shown it (an earlier try); callgrind\'s instruction counts, steady to about 0.3 %, did.',
  '',
  'What is left of the gap is what the layer adds: the replace-trigger entries and `replace_triggered_by` lists, '
    + 'nested logical IDs (hashed with MD5 by cdktf, with longer metadata paths), and its own checks (name and MAC '
    + 'claims per host, placement, address allocation, MAC derivation, cloud-init). Measured in the 10-guest, 10-host '
    + 'lab, the worst case, which carries the per-host part (pool, base image, network, provider and their trigger '
    + 'entries) ten times for one guest each:',
  '',
  '- Instructions (`valgrind --tool=callgrind --smc-check=all-non-file node --single-threaded '
    + '.build/benchmarks/synth.js hl 10 10 DIR`, so compilation and garbage collection count on the one thread; '
    + 'module loading subtracted: with `x` as the variant it loads the modules and stops; this script writes the '
    + 'bundle): about 972 M with L1 and 1042 M with HL, +7 %. The replace trigger is about 14 M of that, parsing and '
    + 'bytecode generation of the layer\'s own code on first call about 16 M.',
  '- Wall time grows more than that: the construct phase takes about 12 ms with L1 and 28 ms with HL, the synth '
    + 'about 121 and 131 ms (medians of 15 cold runs). Most of the construct-phase difference is one-off: code that '
    + 'runs for the first time (V8\'s function events, `node --log-function-events`: 696 functions run for the '
    + 'first time with HL against 461 with L1, and main-thread compilation takes about 41 ms against 26 ms), with its '
    + 'inline caches still empty. Synthesized a second time in the same process, HL\'s construct phase costs 2 to '
    + '3 ms more than L1\'s.',
  '- The per-host part: with 100 hosts and 10 guests, HL\'s construct phase costs about 0.4 ms more per host than '
    + 'L1\'s (pool, network and provider constructs with their checks, trigger entries and hashed logical IDs).',
  '- Not a cause: attribute references, each a cdktf stack capture. The layer makes 60 in this lab, the L1 lab 100. '
    + 'Nor are deoptimizations now: the same ones happen with L1 and HL.',
  '- Tried, without a measurable effect: network digests without `crypto`.',
  '',
  'Not done: the generated `...ToTerraform` functions write every attribute of a block, mostly undefined, and cdktf '
    + 'walks each of them three times per synth. Writing only the defined ones would speed up L1 and HL alike in '
    + 'absolute time; it would not narrow the ratio.',
  '',
  '## Machine',
  '',
  `- CPU: ${sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")}, \`nproc\` = ${sh('nproc')}`,
  `- Memory (\`free -h\`, total): ${sh("free -h | awk '/^Mem:/ {print $2}'")}`,
  `- OS: ${sh('. /etc/os-release && echo "$PRETTY_NAME"')}, kernel ${os.release()}`,
  `- Node ${process.version}, cdktf ${require(path.join(root, 'node_modules', 'cdktf', 'package.json')).version}, `
    + `constructs ${require(path.join(root, 'node_modules', 'constructs', 'package.json')).version}, `
    + `${sh('terraform version 2>/dev/null | head -1')}`,
  `- Load average at start: ${loadAtStart} (other work was running on the machine: absolute times are noisy; `
    + 'the ratios come from interleaved runs). This virtual machine\'s speed also changes from one process to the '
    + 'next: the same 10-guest measurement takes about 130 ms in some processes and about 180 ms in others, so one '
    + 'round\'s ratio can be far off; the quartiles show it.',
  `- Date: ${new Date().toISOString()}; whole run took ${f1((Date.now() - t0) / 1000)} s`,
  '',
];
fs.writeFileSync(OUT, lines.join('\n'));
console.log(`wrote ${path.relative(process.cwd(), OUT)}`);
