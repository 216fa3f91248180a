/**
 * `npm run bench`: generates knowledge folders of growing size, runs the bot
 * and the baseline engines on each in separate processes, prints a table
 * and the floors, and writes the results and a p95 latency chart to
 * bench/out/ (with --publish, also to docs/bench/).
 *
 *   --sizes 1000,10000,30000,100000,300000   sentences per folder
 *   --engines bot,minisearch,fuse,fuse-token
 *   --budget 30        seconds of questions per engine and size (at least 10 questions each)
 *   --questions 200    questions per size
 *   --out bench/out    where corpora and results go
 *   --publish          also write docs/bench/results.md and docs/bench/p95-latency.svg
 *   --no-slack         skip the Slack load test (signed commands and mentions over 20 connections) on the largest folder
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { latencyChart } from './chart.js';
import { ensureCorpus, sizeLabel } from './corpus.js';
import type { EngineMessage, EngineResult } from './engine-process.js';
import { ENGINE_NAMES, ENGINES, type EngineName } from './engines.js';
import { describeSlackLoad, failedExactlyOnce, runSlackLoad, type SlackLoadResult } from './slack-load.js';

/** A question running longer than this is stopped and the engine reported as too slow. */
export const CUTOFF_MS = 5000;
/** Loading and indexing longer than this is stopped. */
const LOAD_LIMIT_MS = 10 * 60_000;

/** How one engine fared on one corpus. */
export interface EngineRun {
  engine: EngineName;
  sentences: number;
  result?: EngineResult;
  /** Why there is no result: a question over the cut-off, too slow at a smaller size, or a failure. */
  stopped?: string;
}

/** Everything a bench run measured, and where. */
export interface BenchReport {
  machine: Record<string, string>;
  runs: EngineRun[];
  /** `ask --jsonl` on the largest folder: whether it kept the contract, and how long it took. */
  contract?: { ok: boolean; detail: string; seconds: number };
  /** The Slack path under load on the largest folder. */
  slackLoad?: SlackLoadResult;
}

/** Nearest-rank percentile of measurements, in their unit. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** Runs one engine on one corpus in a child process, stopping it at the cut-off. */
export function runEngine(
  engine: EngineName,
  corpusDir: string,
  budgetMs: number,
  flags: string[],
  cutoffMs = CUTOFF_MS,
): Promise<EngineRun> {
  const sentences = Number(JSON.parse(readFileSync(path.join(corpusDir, 'manifest.json'), 'utf8')).sentences);
  const child = fork(
    new URL('./engine-process.ts', import.meta.url),
    [engine, corpusDir, String(budgetMs), ...flags],
    {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  return new Promise((resolve) => {
    let run: EngineRun = { engine, sentences, stopped: 'failed (see the output above)' };
    let timer = setTimeout(() => stop(`loading took over ${LOAD_LIMIT_MS / 1000} s`), LOAD_LIMIT_MS);
    const stop = (why: string) => {
      run = { engine, sentences, stopped: why };
      child.kill('SIGKILL');
    };
    child.on('message', (message: EngineMessage) => {
      clearTimeout(timer);
      if (message.type === 'start')
        timer = setTimeout(() => stop(`a question took over ${cutoffMs / 1000} s: stopped`), cutoffMs);
      else if (message.type === 'result') run = { engine, sentences, result: message.result };
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(run);
    });
  });
}

/** Checks `ask --jsonl` on a folder: one JSON line per question, each with the contract's fields. */
function checkContract(knowledgeDir: string): BenchReport['contract'] {
  const set = JSON.parse(readFileSync('test/fixtures/dev-questions.json', 'utf8')) as {
    answerable: { q: string }[];
    unanswerable: string[];
  };
  const questions = [...set.answerable.map((a) => a.q), ...set.unanswerable];
  const started = performance.now();
  const run = spawnSync('npm', ['run', '--silent', 'ask', '--', '--jsonl'], {
    input: `${questions.join('\n')}\n`,
    encoding: 'utf8',
    env: { ...process.env, KNOWLEDGE_DIR: knowledgeDir },
    maxBuffer: 64 << 20,
  });
  const seconds = (performance.now() - started) / 1000;
  const lines = run.stdout.split('\n').filter((l) => l.trim());
  const parsed = lines.map((l) => JSON.parse(l) as { question?: unknown; facts?: { sources?: unknown[] }[] });
  const ok =
    run.status === 0 &&
    parsed.length === questions.length &&
    parsed.every(
      (a, i) =>
        a.question === questions[i] && Array.isArray(a.facts) && a.facts.every((f) => f.sources?.length),
    );
  return {
    ok,
    seconds,
    detail: `exit ${run.status}, ${parsed.length} answers for ${questions.length} questions`,
  };
}

function machine(): Record<string, string> {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} (${os.availableParallelism()} cores)`,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    'load average at start': os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    date: new Date().toISOString().slice(0, 10),
  };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** The results as a Markdown table, one row per engine and size. */
export function resultTable(runs: readonly EngineRun[]): string {
  const rows = [
    '| sentences | engine | load + index | heap | RSS | peak RSS | questions | p50 | p95 | p99 | hit@10 | hit@10 with typo | bot faster (p95) |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const run of runs) {
    const r = run.result;
    const name = ENGINES[run.engine].label;
    if (!r) {
      rows.push(`| ${sizeLabel(run.sentences)} | ${name} | ${run.stopped} | | | | | | | | | | |`);
      continue;
    }
    const bot = runs.find((b) => b.engine === 'bot' && b.sentences === run.sentences)?.result;
    const ratio =
      bot && run.engine !== 'bot'
        ? `${(percentile(r.times, 95) / percentile(bot.times, 95)).toFixed(0)}×`
        : '';
    rows.push(
      `| ${sizeLabel(run.sentences)} | ${name} | ${(r.loadMs / 1000).toFixed(2)} s | ${r.heapMB.toFixed(0)} MB | ${r.rssMB.toFixed(0)} MB | ${r.peakRssMB.toFixed(0)} MB | ${r.times.length} | ${ms(percentile(r.times, 50))} ms | ${ms(percentile(r.times, 95))} ms | ${ms(percentile(r.times, 99))} ms | ${(r.hits / r.times.length).toFixed(2)} | ${r.typos ? (r.typoHits / r.typos).toFixed(2) : '–'} | ${ratio} |`,
    );
  }
  return rows.join('\n');
}

/** The floors the largest folder must meet, each with its figure and whether it holds. */
export function floors(
  runs: readonly EngineRun[],
  slackLoad?: SlackLoadResult,
): { floor: string; figure: string; ok: boolean }[] {
  const botRuns = runs.filter((r) => r.engine === 'bot' && r.result);
  const largest = botRuns.at(-1)?.result;
  if (!largest) return [];
  const p95 = percentile(largest.times, 95);
  const near30k = botRuns.find((r) => r.sentences === 30_000)?.result;
  const mini = runs.find((r) => r.engine === 'minisearch' && r.sentences === largest.sentences);
  const miniP95 = mini?.result ? percentile(mini.result.times, 95) : mini ? CUTOFF_MS : Number.NaN;
  const dev = largest.quality?.['dev-questions.json'];
  const out = [
    {
      floor: 'load + index ≤ 5 s',
      figure: `${(largest.loadMs / 1000).toFixed(2)} s`,
      ok: largest.loadMs <= 5000,
    },
    { floor: 'p95 per question ≤ 10 ms', figure: `${ms(p95)} ms`, ok: p95 <= 10 },
    {
      floor: 'peak RSS ≤ 500 MB',
      figure: `${largest.peakRssMB.toFixed(0)} MB`,
      ok: largest.peakRssMB <= 500,
    },
    {
      floor: '≥ 10× faster than MiniSearch fuzzy (p95, same run)',
      figure: mini?.result
        ? `${(miniP95 / p95).toFixed(0)}×`
        : `> ${(CUTOFF_MS / p95).toFixed(0)}× (${mini?.stopped ?? 'not run'})`,
      ok: miniP95 / p95 >= 10,
    },
  ];
  if (near30k) {
    const growth = p95 / percentile(near30k.times, 95);
    out.push({
      floor: 'p95 at the largest size ≤ 3 × p95 at 30k',
      figure: `${growth.toFixed(2)}×`,
      ok: growth <= 3,
    });
  }
  if (dev) {
    out.push({
      floor:
        'dev questions among the generated articles: hit1 ≥ 0.90, hit3 ≥ 0.95, abstain ≥ 0.90, falseAbstain ≤ 0.05, sources 1.00',
      figure: `hit1 ${dev.hit1.toFixed(2)}, hit3 ${dev.hit3.toFixed(2)}, abstain ${dev.abstain.toFixed(2)}, falseAbstain ${dev.falseAbstain.toFixed(2)}, sources ${dev.sourcesComplete.toFixed(2)}`,
      ok:
        dev.hit1 >= 0.9 &&
        dev.hit3 >= 0.95 &&
        dev.abstain >= 0.9 &&
        dev.falseAbstain <= 0.05 &&
        dev.sourcesComplete === 1,
    });
  }
  if (slackLoad) {
    out.push({
      floor:
        'signed commands and mentions over 20 connections: acknowledged p99 ≤ 50 ms, 0 errors, each answered once',
      figure: `p99 ${slackLoad.p99.toFixed(1)} ms, ${slackLoad.errors} errors, ${slackLoad.lost} lost, ${slackLoad.doubled} doubled, ${slackLoad.requestsPerSecond.toFixed(0)} requests/s`,
      ok: slackLoad.p99 <= 50 && !failedExactlyOnce(slackLoad),
    });
  }
  if (largest.reload) {
    const slowest = Math.max(largest.reload.addMs, largest.reload.editMs, largest.reload.deleteMs);
    out.push({
      floor: 'an added, edited or deleted article shows within 2 s',
      figure: `${ms(slowest)} ms`,
      ok: slowest <= 2000,
    });
  }
  return out;
}

/** The report as Markdown: machine, table, floors, quality and hot reload. */
export function reportMarkdown(report: BenchReport): string {
  const out = ['## Machine', '', ...Object.entries(report.machine).map(([k, v]) => `- ${k}: ${v}`), ''];
  out.push('## Results', '', resultTable(report.runs), '');
  const checks = floors(report.runs, report.slackLoad);
  if (checks.length) {
    out.push('## Floors at the largest size', '', '| floor | figure | met |', '|---|---|---|');
    for (const c of checks) out.push(`| ${c.floor} | ${c.figure} | ${c.ok ? 'yes' : '**no**'} |`);
    out.push('');
  }
  const bot = report.runs.filter((r) => r.engine === 'bot' && r.result);
  if (bot.some((r) => r.result?.quality)) {
    out.push(
      '## Answer quality on the seed article among the generated articles',
      '',
      '| sentences | question set | hit1 | hit3 | abstain | false abstain | sources complete |',
      '|---:|---|---:|---:|---:|---:|---:|',
    );
    for (const r of bot)
      for (const [set, q] of Object.entries(r.result?.quality ?? {}))
        out.push(
          `| ${sizeLabel(r.sentences)} | ${set} | ${q.hit1.toFixed(2)} | ${q.hit3.toFixed(2)} | ${q.abstain.toFixed(2)} | ${q.falseAbstain.toFixed(2)} | ${q.sourcesComplete.toFixed(2)} |`,
        );
    const largest = bot.at(-1)?.result?.quality ?? {};
    for (const [set, q] of Object.entries(largest)) {
      if (q.misses.length) out.push('', `Not first at the largest size (${set}): ${q.misses.join(' | ')}`);
      if (q.wrongAnswers.length)
        out.push('', `Answered though unanswerable (${set}): ${q.wrongAnswers.join(' | ')}`);
    }
    out.push('');
  }
  if (bot.some((r) => r.result?.reload)) {
    out.push(
      '## Hot reload (watcher on, questions asked back to back)',
      '',
      '| sentences | added article answered | edit answered | deletion answered | longest wait of a question | questions meanwhile |',
      '|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of bot) {
      const h = r.result?.reload;
      if (h)
        out.push(
          `| ${sizeLabel(r.sentences)} | ${ms(h.addMs)} ms | ${ms(h.editMs)} ms | ${ms(h.deleteMs)} ms | ${ms(h.longestWaitMs)} ms | ${h.questions} |`,
        );
    }
    out.push('');
  }
  if (report.slackLoad)
    out.push(
      `## The Slack path under load (${sizeLabel(report.runs.filter((r) => r.engine === 'bot').at(-1)?.sentences ?? 0)} sentences)`,
      '',
      'The bot in HTTP mode in a process of its own; autocannon sends signed `/ceasefire` commands over loopback, each signed afresh; a loopback stand-in plays Slack and counts the answers.',
      '',
      ...describeSlackLoad(report.slackLoad).map((line) => `- ${line}`),
      '',
    );
  if (report.contract)
    out.push(
      '## `KNOWLEDGE_DIR=<largest folder> npm run --silent ask -- --jsonl`',
      '',
      `${report.contract.ok ? 'Contract kept' : '**Contract broken**'}: ${report.contract.detail}, ${report.contract.seconds.toFixed(1)} s including start-up.`,
      '',
    );
  return out.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '1000,10000,30000,100000,300000' },
      engines: { type: 'string', default: ENGINE_NAMES.join(',') },
      budget: { type: 'string', default: '30' },
      questions: { type: 'string', default: '200' },
      out: { type: 'string', default: 'bench/out' },
      publish: { type: 'boolean', default: false },
      'no-slack': { type: 'boolean', default: false },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const engines = values.engines.split(',') as EngineName[];
  for (const e of engines)
    if (!ENGINE_NAMES.includes(e)) throw new Error(`unknown engine ${e}: use ${ENGINE_NAMES.join(', ')}`);
  const report: BenchReport = { machine: machine(), runs: [] };
  const tooSlow = new Map<EngineName, number>();
  for (const size of sizes) {
    const corpus = await ensureCorpus(values.out, size, { questions: Number(values.questions) });
    const corpusDir = path.dirname(corpus.knowledgeDir);
    process.stderr.write(`${sizeLabel(size)}: ${corpus.articles} articles, ${corpus.sentences} sentences\n`);
    for (const engine of engines) {
      const slowAt = tooSlow.get(engine);
      if (slowAt !== undefined) {
        report.runs.push({
          engine,
          sentences: size,
          stopped: `not run: over ${CUTOFF_MS / 1000} s per question at ${sizeLabel(slowAt)}`,
        });
        continue;
      }
      const flags = engine === 'bot' ? ['--quality', '--reload'] : [];
      const run = await runEngine(engine, corpusDir, Number(values.budget) * 1000, flags);
      if (run.stopped?.includes('took over')) tooSlow.set(engine, size);
      report.runs.push(run);
      process.stderr.write(
        `  ${engine}: ${run.result ? `p95 ${ms(percentile(run.result.times, 95))} ms over ${run.result.times.length} questions` : run.stopped}\n`,
      );
    }
    if (size === sizes[sizes.length - 1] && engines.includes('bot')) {
      report.contract = checkContract(corpus.knowledgeDir);
      if (!values['no-slack']) {
        report.slackLoad = await runSlackLoad({
          knowledgeDir: corpus.knowledgeDir,
          connections: 20,
          durationSeconds: 20,
        });
        process.stderr.write(`  slack load: ${describeSlackLoad(report.slackLoad).join('; ')}\n`);
      }
    }
  }
  const markdown = reportMarkdown(report);
  const series = engines.map((engine) => ({
    label: ENGINES[engine].label,
    points: report.runs
      .filter((r) => r.engine === engine)
      .map((r) => ({ sentences: r.sentences, p95: r.result ? percentile(r.result.times, 95) : null })),
  }));
  const svg = latencyChart(series, CUTOFF_MS, 'p95 latency per question against knowledge size');
  mkdirSync(values.out, { recursive: true });
  writeFileSync(path.join(values.out, 'results.json'), JSON.stringify(report, null, 1));
  const targets = [values.out, ...(values.publish ? ['docs/bench'] : [])];
  for (const dir of targets) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'results.md'),
      `# Benchmark results\n\n![p95 latency](p95-latency.svg)\n\n${markdown}`,
    );
    writeFileSync(path.join(dir, 'p95-latency.svg'), svg);
  }
  process.stdout.write(`${markdown}\nWritten to ${targets.join(' and ')}.\n`);
}

if (import.meta.url === new URL(process.argv[1] ?? '', 'file:').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
