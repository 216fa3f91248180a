/**
 * One engine on one corpus, in a process of its own so that its memory is
 * its own: load and index, then the questions, timed one by one. The parent
 * is told when each question starts, so it can stop a question that runs
 * too long. For the bot, also answer quality on the seed article among the
 * generated ones, and how fast an added, edited and deleted article shows.
 *
 * usage (from the runner): engine-process.ts <engine> <corpus dir> <query budget ms> [--quality] [--reload]
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readQuestionSet, score } from '../test/helpers/eval.js';
import type { CorpusManifest } from './corpus.js';
import { ENGINES, type EngineName, type Hit, type OpenEngine } from './engines.js';
import type { BenchQuestion } from './generate.js';

/** What the process reports at the end. */
export interface EngineResult {
  engine: EngineName;
  sentences: number;
  loadMs: number;
  /** Heap and typed arrays after loading, once garbage is collected. */
  heapMB: number;
  rssMB: number;
  peakRssMB: number;
  /** Per question, in ms. */
  times: number[];
  /** Questions whose source sentence was among the ten results. */
  hits: number;
  typoHits: number;
  typos: number;
  quality?: Record<string, ReturnType<typeof score>>;
  reload?: ReloadFigures;
}

/** Hot reload as a reader sees it, with questions asked throughout. */
export interface ReloadFigures {
  addMs: number;
  editMs: number;
  deleteMs: number;
  /** The longest a question waited for the event loop while the index was rebuilt. */
  longestWaitMs: number;
  questions: number;
}

/** Messages to the runner. */
export type EngineMessage =
  | { type: 'ready'; loadMs: number }
  | { type: 'start'; index: number }
  /** The timed questions are over: what follows (quality, hot reload) has no cut-off. */
  | { type: 'asked' }
  | { type: 'result'; result: EngineResult };

/** The probe article written and removed to time hot reload. */
export const PROBE_FILE = 'zz-reload-probe.md';

const send = (message: EngineMessage) =>
  new Promise<void>((resolve, reject) =>
    process.send?.(message, undefined, undefined, (error) => (error ? reject(error) : resolve())),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = (globalThis as { gc?: () => void }).gc;

function isHit(hits: Hit[], question: BenchQuestion): boolean {
  return hits.some(
    (h) => h.text === question.source.text && h.files.includes(`knowledge/${question.source.file}`),
  );
}

async function timeReload(
  open: OpenEngine,
  knowledgeDir: string,
  questions: BenchQuestion[],
): Promise<ReloadFigures> {
  const kb = open.knowledge;
  if (!kb) throw new Error('only the bot reloads');
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  const watcher = kb.watch({ logger: silent });
  await watcher.ready;
  const file = path.join(knowledgeDir, PROBE_FILE);
  const probe = (body: string) => `---\ntitle: Reload probe\n---\n\n${body}\n`;
  const added = 'The quartermaster zephyrine inventoried seventeen lanterns at the harbour.';
  const edited = 'The quartermaster zephyrine counted nineteen lanterns after the storm.';
  const top = () => kb.answer('quartermaster zephyrine lanterns').facts[0]?.text;
  let asked = 0;
  let longestWaitMs = 0;
  let last = performance.now();
  // Questions asked back to back while the folder changes, each noting how long it waited.
  const until = async (condition: () => boolean): Promise<number> => {
    const started = performance.now();
    while (!condition()) {
      if (performance.now() - started > 30_000) throw new Error('hot reload did not show within 30 s');
      await new Promise((resolve) => setImmediate(resolve));
      const now = performance.now();
      longestWaitMs = Math.max(longestWaitMs, now - last);
      open.search((questions[asked++ % questions.length] as BenchQuestion).question);
      last = performance.now();
    }
    return performance.now() - started;
  };
  await sleep(500);
  last = performance.now();
  writeFileSync(file, probe(added));
  const addMs = await until(() => top() === added);
  writeFileSync(file, probe(edited));
  const editMs = await until(() => top() === edited);
  rmSync(file);
  const deleteMs = await until(() => top() === undefined);
  await watcher.close();
  return { addMs, editMs, deleteMs, longestWaitMs, questions: asked };
}

async function main(): Promise<void> {
  const [engine, corpusDir, budget, ...flags] = process.argv.slice(2);
  const manifest = JSON.parse(
    readFileSync(path.join(corpusDir as string, 'manifest.json'), 'utf8'),
  ) as CorpusManifest;
  const knowledgeDir = path.join(corpusDir as string, 'knowledge');
  rmSync(path.join(knowledgeDir, PROBE_FILE), { force: true });
  const started = performance.now();
  const open = await ENGINES[engine as EngineName].open(knowledgeDir);
  const loadMs = performance.now() - started;
  await send({ type: 'ready', loadMs });
  gc?.();
  const memory = process.memoryUsage();
  const result: EngineResult = {
    engine: engine as EngineName,
    sentences: manifest.sentences,
    loadMs,
    heapMB: (memory.heapUsed + memory.arrayBuffers) / 2 ** 20,
    rssMB: memory.rss / 2 ** 20,
    peakRssMB: 0,
    times: [],
    hits: 0,
    typoHits: 0,
    typos: 0,
  };
  for (const [i, q] of manifest.warmup.entries()) {
    await send({ type: 'start', index: -1 - i });
    open.search(q.question);
  }
  const deadline = performance.now() + Number(budget);
  for (const [i, q] of manifest.questions.entries()) {
    // At least 10 questions; then as many as the time budget allows.
    if (i >= 10 && performance.now() > deadline) break;
    await send({ type: 'start', index: i });
    const t = performance.now();
    const hits = open.search(q.question);
    result.times.push(performance.now() - t);
    const hit = isHit(hits, q);
    if (hit) result.hits++;
    if (q.typo) {
      result.typos++;
      if (hit) result.typoHits++;
    }
  }
  await send({ type: 'asked' });
  if (flags.includes('--quality') && open.knowledge) {
    const kb = open.knowledge;
    result.quality = Object.fromEntries(
      ['dev-questions.json', 'extra-questions.json'].map((set) => [
        set,
        score(kb, readQuestionSet(path.join('test/fixtures', set))),
      ]),
    );
  }
  if (flags.includes('--reload')) result.reload = await timeReload(open, knowledgeDir, manifest.questions);
  result.peakRssMB = process.resourceUsage().maxRSS / 1024;
  await send({ type: 'result', result });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
