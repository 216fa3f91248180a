/**
 * The benchmark at a smoke size: the runner measures the bot and a baseline
 * in child processes and reports them. The full sizes run with
 * `npm run bench`, not here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latencyChart } from '../../bench/chart.js';
import { type CorpusOnDisk, ensureCorpus } from '../../bench/corpus.js';
import { type EngineRun, floors, percentile, reportMarkdown, runEngine } from '../../bench/run.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const spec = { sentences: 400, questions: 40, warmup: 2 };

describe('bench runner', () => {
  let out: string;
  let corpus: CorpusOnDisk;
  const runs: EngineRun[] = [];

  beforeAll(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'bench-'));
    corpus = await ensureCorpus(out, spec.sentences, { questions: spec.questions, warmup: spec.warmup });
    const dir = path.dirname(corpus.knowledgeDir);
    runs.push(await runEngine('bot', dir, 2000, ['--quality']), await runEngine('minisearch', dir, 2000, []));
  }, 60_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('puts the seed article among the generated ones, and none of its sentences elsewhere', async () => {
    const { articles, problems } = await loadKnowledge(corpus.knowledgeDir);
    expect(problems).toEqual([]);
    expect(articles.map((a) => a.file)).toContain(corpus.seedFile);
    const seed = articles.find((a) => a.file === corpus.seedFile);
    const seedTexts = new Set(seed?.sentences.map((s) => s.text));
    const elsewhere = articles
      .filter((a) => a !== seed)
      .flatMap((a) => a.sentences.filter((s) => seedTexts.has(s.text)));
    expect(elsewhere).toEqual([]);
  });

  it('measures each engine in its own process: load, memory, every question, hits', () => {
    for (const run of runs) {
      expect(run.stopped).toBeUndefined();
      expect(run.result?.times).toHaveLength(spec.questions);
      expect(run.result?.loadMs).toBeGreaterThan(0);
      expect(run.result?.peakRssMB).toBeGreaterThan(10);
    }
    const bot = runs[0]?.result;
    // The question's own sentence is among the bot's ten answers.
    expect((bot?.hits ?? 0) / spec.questions).toBeGreaterThanOrEqual(0.9);
    expect(bot?.quality?.['dev-questions.json']?.hit1).toBeGreaterThanOrEqual(0.9);
  });

  it('reports a table with ratios, the floors and quality, and a chart', () => {
    const markdown = reportMarkdown({ machine: { cpu: 'test' }, runs });
    expect(markdown).toMatch(/\| 400 \| ceasefire-bot .*\| 40 \|/);
    expect(markdown).toMatch(/\| 400 \| MiniSearch .*×/);
    expect(floors(runs).map((f) => f.floor)).toContain('p95 per question ≤ 10 ms');
    expect(markdown).toContain('dev-questions.json');
    const svg = latencyChart(
      [
        {
          label: 'bot',
          points: [
            { sentences: 1000, p95: 1 },
            { sentences: 10000, p95: null },
          ],
        },
      ],
      5000,
      'p95',
    );
    expect(svg).toMatch(/^<svg[\s\S]*<circle[\s\S]*<path d="M[\s\S]*<\/svg>\n$/);
  });

  it('asks at least ten questions, and stops an engine whose question runs past the cut-off', async () => {
    const dir = path.dirname(corpus.knowledgeDir);
    expect((await runEngine('fuse', dir, 0, [])).result?.times).toHaveLength(10);
    // fuse.js scans every sentence for each question: over a millisecond even at this size.
    const stopped = await runEngine('fuse', dir, 0, [], 1);
    expect(stopped.result).toBeUndefined();
    expect(stopped.stopped).toBe('a question took over 0.001 s: stopped');
  });
});

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([3], 95)).toBe(3);
  });
});
