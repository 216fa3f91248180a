/**
 * The benchmark at a smoke size: the generator makes valid, deterministic
 * knowledge folders and fair questions, and the runner measures the bot and
 * a baseline in child processes and reports them. The full sizes run with
 * `npm run bench`, not here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latencyChart } from '../../bench/chart.js';
import { type CorpusOnDisk, ensureCorpus } from '../../bench/corpus.js';
import { generateCorpus, OPENINGS } from '../../bench/generate.js';
import { type EngineRun, floors, percentile, reportMarkdown, runEngine } from '../../bench/run.js';
import { articleFromBytes, loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const spec = { sentences: 400, questions: 40, warmup: 2 };

describe('generateCorpus', () => {
  const corpus = generateCorpus(spec);
  const sentences = corpus.articles.flatMap((a) => a.sentences);

  it('is the same for the same seed and different for another', () => {
    expect(generateCorpus(spec)).toEqual(corpus);
    expect(generateCorpus({ ...spec, seed: 'other' }).articles[0]?.markdown).not.toBe(
      corpus.articles[0]?.markdown,
    );
  });

  it('writes the requested number of news-like sentences of 10 to 35 words', () => {
    expect(sentences).toHaveLength(400);
    for (const s of sentences) {
      const words = s.split(' ').length;
      expect(words).toBeGreaterThanOrEqual(10);
      expect(words).toBeLessThanOrEqual(35);
      expect(s).toMatch(/^[A-Z0-9].*\.$/);
    }
    // Names and numbers, as news has.
    expect(sentences.filter((s) => /\d/.test(s)).length).toBeGreaterThan(100);
    expect(sentences.filter((s) => / [A-Z][a-z]+ [A-Z][a-z]+/.test(s)).length).toBeGreaterThan(50);
  });

  it('uses words with a Zipf-like spread: a few very common, most rare', () => {
    const counts = new Map<string, number>();
    for (const s of sentences)
      for (const w of s.toLowerCase().split(/[ .,]+/)) counts.set(w, (counts.get(w) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    expect(sorted.filter((n) => n === 1).length).toBeGreaterThan(counts.size / 3);
    expect(sorted[0]).toBeGreaterThan(50 * (sorted[Math.floor(sorted.length / 2)] ?? 1));
  });

  it('writes articles the bot reads without a problem, sentence for sentence', () => {
    for (const a of corpus.articles) {
      const { article, problems } = articleFromBytes(Buffer.from(a.markdown), `knowledge/${a.file}`);
      expect(problems).toEqual([]);
      expect(article?.sentences.map((s) => s.text)).toEqual(a.sentences);
    }
  });

  it('asks questions made from one sentence’s words, about 30% with one typo', () => {
    expect(corpus.questions).toHaveLength(40);
    const all = generateCorpus({ ...spec, questions: 400 }).questions;
    const typos = all.filter((q) => q.typo).length / all.length;
    expect(typos).toBeGreaterThan(0.22);
    expect(typos).toBeLessThan(0.38);
    let misspelt = 0;
    for (const q of all) {
      expect(sentences).toContain(q.source.text);
      const words = q.source.text.split(' ').map((w) => w.replace(/[.,]$/, '').toLowerCase());
      const opening = OPENINGS.find((o) => q.question.startsWith(`${o} `));
      const asked = q.question
        .slice(opening ? opening.length + 1 : 0)
        .replace(/\?$/, '')
        .toLowerCase()
        .split(' ');
      // Every word comes from the sentence, but for the one typo.
      const foreign = asked.filter((w) => !words.includes(w)).length;
      expect(foreign).toBeLessThanOrEqual(q.typo ? 1 : 0);
      if (q.typo && foreign === 1) misspelt++;
    }
    // A typo may by chance spell another word of the sentence, but hardly ever.
    expect(misspelt).toBeGreaterThan(0.95 * all.filter((q) => q.typo).length);
  });
});

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
