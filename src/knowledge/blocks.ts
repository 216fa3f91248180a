/**
 * The shape both article formats parse into (headings, paragraphs, list
 * items with their line numbers), and the one function that turns those
 * blocks into an article's sentences. Markdown and plain text differ only in
 * how they find the blocks; sections, kinds and sentences are decided here.
 */

import type { Kind, Sentence } from '../article.js';
import { splitSentences } from '../sentences/split-sentences.js';

/** A heading, paragraph or list item, located in its file. */
export type Block =
  | { type: 'heading'; text: string; line: number; level: number; kind?: Kind }
  | { type: 'paragraph'; text: string; line: number };

/** Headings whose sentences are the article's summary ("Key points"). */
export const KEY_POINTS_HEADINGS: readonly string[] = ['key points', 'key facts'];

/** The heading the plain-text format gives the lines under the title. */
export const KEY_POINTS_HEADING = 'Key points';

/** Article metadata that every sentence repeats. */
export interface SentenceContext {
  title: string;
  file: string;
  url: string | null;
  published: string | null;
  kind: Kind;
}

/** Sentences and section headings of an article, in reading order. */
export interface ArticleBody {
  sections: string[];
  sentences: Sentence[];
  keyPoints: Sentence[];
}

/**
 * Splits each paragraph into sentences and gives every sentence its section
 * and kind. A heading with a kind (e.g. `# Commentary {kind=commentary}`)
 * sets the kind until the next heading of the same or a higher level.
 */
export function bodyFromBlocks(blocks: readonly Block[], context: SentenceContext): ArticleBody {
  const sections: string[] = [];
  const sentences: Sentence[] = [];
  const keyPoints: Sentence[] = [];
  let section: string | null = null;
  let isKeyPoint = false;
  let paragraph = 0;
  // Open headings that set a kind, innermost last.
  const kindScopes: { level: number; kind: Kind }[] = [];
  for (const block of blocks) {
    if (block.type === 'heading') {
      while (kindScopes.length && (kindScopes[kindScopes.length - 1]?.level ?? 0) >= block.level)
        kindScopes.pop();
      if (block.kind) kindScopes.push({ level: block.level, kind: block.kind });
      section = block.text;
      isKeyPoint = KEY_POINTS_HEADINGS.includes(section.toLowerCase());
      sections.push(block.text);
      continue;
    }
    const kind = kindScopes[kindScopes.length - 1]?.kind ?? context.kind;
    for (const span of splitSentences(block.text)) {
      const sentence: Sentence = {
        // A paragraph wrapped over several lines reads as one line of text.
        text: span.text.includes('\n') ? span.text.replace(/\s*\n\s*/g, ' ') : span.text,
        title: context.title,
        section,
        file: context.file,
        line: block.line + countNewlines(block.text, span.start),
        paragraph,
        url: context.url,
        published: context.published,
        kind,
      };
      sentences.push(sentence);
      if (isKeyPoint) keyPoints.push(sentence);
    }
    paragraph++;
  }
  return { sections, sentences, keyPoints };
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
