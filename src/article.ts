/**
 * The data model every step shares: an article and its sentences, as the
 * knowledge loader produces them and the search, the renderers and the
 * digest read them. Kept apart from every folder so that none of them
 * imports another for it.
 */
/** Whether a passage reports events (news) or gives an opinion (commentary). */
export type Kind = 'news' | 'commentary';

/** Every kind, for validation and messages. */
export const KINDS: readonly Kind[] = ['news', 'commentary'];

/** One sentence of an article: the unit the bot indexes and quotes. */
export interface Sentence {
  /** The sentence exactly as written in the file. */
  text: string;
  /** Title of the article it belongs to. */
  title: string;
  /** Nearest heading above it, or null when there is none. */
  section: string | null;
  /** Path of the file, relative to the knowledge folder's parent (e.g. `knowledge/a.md`). */
  file: string;
  /** 1-based line where the sentence starts. */
  line: number;
  /**
   * The number of its paragraph (or list item) in the article, from 0: the
   * sentences of one paragraph are read together, each in the light of the others.
   */
  paragraph: number;
  url: string | null;
  /** ISO date (YYYY-MM-DD) when known. */
  published: string | null;
  kind: Kind;
}

/** A parsed article: its metadata and its sentences in reading order. */
export interface Article {
  /** Stable identifier derived from the title; unique across the folder. */
  slug: string;
  title: string;
  file: string;
  url: string | null;
  published: string | null;
  source: string | null;
  kind: Kind;
  /**
   * Groups of spellings of one name (Zelenskyy, Zelensky): a question that
   * writes one of a group finds the article's sentences that write another.
   */
  aliases: string[][];
  /** Section headings in order (the key points' heading included). */
  sections: string[];
  sentences: Sentence[];
  /** The article's summary sentences (its "Key points"), empty when it has none. */
  keyPoints: Sentence[];
  /** Content hash of the file, so reloads and digests can tell what changed. */
  hash: string;
}

/**
 * Newest published first; undated articles after dated ones, by title: the
 * order wherever articles are listed, and "the newest" is picked.
 */
export function byNewest(a: Article, b: Article): number {
  if (a.published !== b.published) return (b.published ?? '').localeCompare(a.published ?? '');
  return a.title.localeCompare(b.title);
}
