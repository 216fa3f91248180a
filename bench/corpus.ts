/**
 * Benchmark corpora on disk: `<out>/corpus-<size>/knowledge/` holds the
 * generated articles and a copy of the seed article, `questions.json` the
 * questions. A corpus is written once and reused while the generator and
 * the seed article are unchanged.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { articleFromBytes } from '../src/knowledge/load-knowledge.js';
import { type BenchQuestion, GENERATOR_VERSION, generateCorpus } from './generate.js';

/** Where a corpus lives and what it holds. */
export interface CorpusOnDisk {
  /** The knowledge folder (generated articles plus the seed article). */
  knowledgeDir: string;
  /** The seed article's display path inside the corpus. */
  seedFile: string;
  sentences: number;
  articles: number;
  questions: BenchQuestion[];
  warmup: BenchQuestion[];
}

/** What `manifest.json` holds: how the corpus was made, and its questions. */
export interface CorpusManifest {
  key: string;
  sentences: number;
  articles: number;
  questions: BenchQuestion[];
  warmup: BenchQuestion[];
}

/** The seed article that quality is checked on, inside every corpus. */
export const SEED_ARTICLE = 'knowledge/istanbul-ceasefire-talks.md';

const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/** A short label for a sentence count: 1k, 30k, 300k. */
export function sizeLabel(sentences: number): string {
  return sentences >= 1000 && sentences % 1000 === 0 ? `${sentences / 1000}k` : String(sentences);
}

/**
 * Returns the corpus of `sentences` generated sentences under `outDir`,
 * writing it first unless an identical one is already there. Refuses a
 * corpus that repeats any sentence of the seed article, since quality on the
 * seed is measured among the generated articles.
 */
export async function ensureCorpus(
  outDir: string,
  sentences: number,
  spec: { questions?: number; warmup?: number } = {},
): Promise<CorpusOnDisk> {
  const dir = path.join(outDir, `corpus-${sizeLabel(sentences)}`);
  const knowledgeDir = path.join(dir, 'knowledge');
  const seedBytes = await readFile(SEED_ARTICLE);
  const key = createHash('sha256')
    .update(JSON.stringify({ GENERATOR_VERSION, sentences, spec }))
    .update(seedBytes)
    .digest('hex');
  const manifestPath = path.join(dir, 'manifest.json');
  const seedFile = `knowledge/${path.basename(SEED_ARTICLE)}`;
  const existing = await readFile(manifestPath, 'utf8').then(
    (text) => JSON.parse(text) as CorpusManifest,
    () => null,
  );
  if (existing?.key === key) return { knowledgeDir, seedFile, ...existing };

  const corpus = generateCorpus({ sentences, ...spec });
  const seed = articleFromBytes(seedBytes, seedFile).article;
  const seedSentences = new Set(seed?.sentences.map((s) => norm(s.text)));
  const clash = corpus.articles.flatMap((a) => a.sentences).find((s) => seedSentences.has(norm(s)));
  if (clash) throw new Error(`generated corpus repeats a sentence of the seed article: ${clash}`);

  await rm(dir, { recursive: true, force: true });
  await mkdir(knowledgeDir, { recursive: true });
  await writeFile(path.join(knowledgeDir, path.basename(SEED_ARTICLE)), seedBytes);
  const folders = new Set(corpus.articles.map((a) => path.dirname(a.file)));
  await Promise.all([...folders].map((f) => mkdir(path.join(knowledgeDir, f), { recursive: true })));
  for (const article of corpus.articles) {
    await writeFile(path.join(knowledgeDir, article.file), article.markdown);
  }
  const manifest: CorpusManifest = {
    key,
    sentences,
    articles: corpus.articles.length,
    questions: corpus.questions,
    warmup: corpus.warmup,
  };
  // Written last: a corpus interrupted while being written has no manifest and is written again.
  await writeFile(manifestPath, JSON.stringify(manifest));
  return { knowledgeDir, seedFile, ...manifest };
}
