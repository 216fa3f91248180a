/**
 * The search engines the benchmark compares, each opened on a knowledge
 * folder and asked for its ten best sentences: the bot, and the usual
 * libraries a team would reach for first, scanning the same sentences.
 */
import Fuse from 'fuse.js';
import MiniSearch from 'minisearch';
import { KnowledgeBase } from '../src/knowledge/knowledge-base.js';
import { loadKnowledge } from '../src/knowledge/load-knowledge.js';

/** A result: a sentence and the files it was found in. */
export interface Hit {
  text: string;
  files: string[];
}

/** An engine ready to answer, and the bot's knowledge base when it is the bot. */
export interface OpenEngine {
  search: (question: string) => Hit[];
  knowledge?: KnowledgeBase;
}

/** One contender. */
export interface Engine {
  name: EngineName;
  label: string;
  /** Reads and indexes a knowledge folder. */
  open(knowledgeDir: string): Promise<OpenEngine>;
}

export const ENGINE_NAMES = ['bot', 'minisearch', 'fuse', 'fuse-token'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

const TOP = 10;

/** The sentences of a folder, read by the bot's own loader, for the libraries to index. */
async function sentences(knowledgeDir: string): Promise<Hit[]> {
  const { articles } = await loadKnowledge(knowledgeDir);
  return articles.flatMap((a) => a.sentences.map((s) => ({ text: s.text, files: [s.file] })));
}

/** A fuse.js engine over every sentence, with `options` on top of fuse's defaults. */
function fuse(
  name: EngineName,
  label: string,
  options: ConstructorParameters<typeof Fuse<string>>[1],
): Engine {
  return {
    name,
    label,
    async open(knowledgeDir) {
      const all = await sentences(knowledgeDir);
      const index = new Fuse(
        all.map((s) => s.text),
        options,
      );
      return { search: (q) => index.search(q, { limit: TOP }).map((r) => all[r.refIndex] as Hit) };
    },
  };
}

export const ENGINES: Readonly<Record<EngineName, Engine>> = {
  bot: {
    name: 'bot',
    label: 'ceasefire-bot (BM25 postings + vocabulary spelling correction)',
    async open(knowledgeDir) {
      const knowledge = await KnowledgeBase.load(knowledgeDir);
      return {
        knowledge,
        search: (q) =>
          knowledge
            .answer(q, { limit: TOP })
            .facts.map((f) => ({ text: f.text, files: f.sources.map((s) => s.file) })),
      };
    },
  },
  minisearch: {
    name: 'minisearch',
    label: 'MiniSearch (BM25, fuzzy 0.2, prefix)',
    async open(knowledgeDir) {
      const all = await sentences(knowledgeDir);
      const index = new MiniSearch<{ id: number; text: string }>({ fields: ['text'], storeFields: [] });
      index.addAll(all.map((s, id) => ({ id, text: s.text })));
      return {
        search: (q) =>
          index
            .search(q, { fuzzy: 0.2, prefix: true })
            .slice(0, TOP)
            .map((r) => all[r.id as number] as Hit),
      };
    },
  },
  fuse: fuse('fuse', 'fuse.js over sentences (default options)', {}),
  'fuse-token': fuse('fuse-token', 'fuse.js over sentences (useTokenSearch)', { useTokenSearch: true }),
};
