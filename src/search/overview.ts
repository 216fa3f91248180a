/**
 * Broad questions ("summary", "tl;dr", "What happened in Istanbul?",
 * "What's the latest on the talks?") ask what an article says, not one fact:
 * they get the key points of the article most relevant to the words they
 * name, or of the newest article when they name none. A broad question about
 * something no article covers ("What happened in Syria?") is not treated as
 * one: it is searched as any question, and finds nothing.
 */

import type { Article, Sentence } from '../article.js';
import { byNewest } from '../article.js';
import { isStopWord, type Token, tokenize } from './analyze.js';
import { parseQuery, type QueryTerm } from './query.js';
import type { SentenceIndex } from './sentence-index.js';

/** Words that ask for an overview wherever they stand ("summary", "give me an overview", "tl;dr"). */
const OVERVIEW_WORDS = new Set([
  'summary',
  'summarize',
  'summarise',
  'summarized',
  'summarised',
  'overview',
  'recap',
  'gist',
  'rundown',
  'tldr',
  'highlights',
  'briefing',
]);

/** Words that name the points of a story: "main points", "key facts", "key takeaways". */
const POINT_WORDS = new Set(['point', 'points', 'facts', 'takeaways', 'takeaway']);
const POINT_QUALIFIERS = new Set(['main', 'key', 'important', 'essential']);

/**
 * Words that ask what is going on about something ("What happened in …?",
 * "What's the latest on …?"): a broad question only when what they name is
 * what an article is about.
 */
const NEWS_WORDS = new Set(['happened', 'happening', 'latest', 'news', 'update', 'updates', 'developments']);

/** Words of a request for an overview that name no topic ("give me a short update", "the story so far"). */
const REQUEST_WORDS = new Set([
  'give',
  'show',
  'quick',
  'short',
  'brief',
  'briefly',
  'overall',
  'story',
  'far',
  'article',
  'articles',
  'current',
  'situation',
  'new',
  'today',
  'me',
]);

/** How a question asks for an overview, and what about. */
interface BroadQuestion {
  /** Whether the question must name what an article is about (its title, headings or key points). */
  aboutMainTopic: boolean;
  /** The words that name the topic, as question text ("" when none). */
  topic: string;
}

/** Broad questions are short: a longer question that holds "highlights" or "news" asks about something in particular. */
const MAX_BROAD_CHARS = 120;

/** The most words a broad question may name its topic with. */
const MAX_TOPIC_WORDS = 3;

/** Reads a question as a broad one, or returns null when it asks for facts. */
function readBroad(question: string): BroadQuestion | null {
  if (question.length > MAX_BROAD_CHARS) return null;
  const tokens = tokenize(question.replace(/\btl\s*;\s*dr\b/giu, 'tldr'));
  let explicit = false;
  let news = false;
  const cue = new Set<number>();
  tokens.forEach((token, i) => {
    const next = tokens[i + 1]?.word ?? '';
    if (OVERVIEW_WORDS.has(token.word)) {
      explicit = true;
      cue.add(i);
    } else if (POINT_QUALIFIERS.has(token.word) && POINT_WORDS.has(next)) {
      explicit = true;
      cue.add(i).add(i + 1);
    } else if (NEWS_WORDS.has(token.word)) {
      news = true;
      cue.add(i);
    } else if (token.word === 'going' && next === 'on') {
      news = true;
      cue.add(i);
    }
  });
  if (!explicit && !news) return null;
  const topic = tokens.filter((t, i) => !cue.has(i) && !isStopWord(t) && !REQUEST_WORDS.has(t.word));
  // "What happened to the deal?" asks for an overview; "What happened to the AS-205 mission originally?" for a fact.
  if (topic.length > MAX_TOPIC_WORDS) return null;
  return { aboutMainTopic: !explicit, topic: words(topic) };
}

function words(tokens: readonly Token[]): string {
  return tokens.map((t) => t.word).join(' ');
}

/** An article chosen for an overview, with the sentences it shows. */
export interface Overview {
  article: Article;
  /** Its key points, or its opening sentences when it has none. */
  points: readonly Sentence[];
}

/**
 * The overview a broad question asks for, or null when the question is not
 * broad or no article covers what it names.
 */
export function overviewFor(index: SentenceIndex, question: string): Overview | null {
  const broad = readBroad(question);
  if (!broad) return null;
  const { articles } = index;
  let chosen: Article | undefined;
  if (broad.topic) {
    const terms = parseQuery(broad.topic, index).terms;
    // Every word it names must be in the article: a broad question about Syria is about none of them.
    if (terms.length === 0 || terms.some((t) => t.alternatives.length === 0)) return null;
    const candidates = [...articleRelevance(index, terms)]
      .map(([a, relevance]) => ({ article: articles[a] as Article, relevance }))
      .filter((c) => !broad.aboutMainTopic || isMainTopic(index, c.article, terms));
    chosen = candidates.sort((x, y) => y.relevance - x.relevance || byNewest(x.article, y.article))[0]
      ?.article;
  } else {
    chosen = [...articles].sort(byNewest)[0];
  }
  if (!chosen) return null;
  return { article: chosen, points: chosen.keyPoints.length ? chosen.keyPoints : chosen.sentences };
}

/**
 * Per article that has every term: how many of its sentences have one of
 * them, so the article that speaks most of them ranks first.
 */
function articleRelevance(index: SentenceIndex, terms: readonly QueryTerm[]): Map<number, number> {
  const sentences = new Map<number, number>();
  const hasAll = new Map<number, number>();
  terms.forEach((term, k) => {
    const seen = new Set<number>();
    for (const alt of term.alternatives) {
      const from = index.postingStarts[alt.termId] as number;
      const to = index.postingStarts[alt.termId + 1] as number;
      for (let p = from; p < to; p++) {
        const doc = index.postingDocs[p] as number;
        const article = index.articleOf(doc);
        if (seen.has(doc)) continue;
        seen.add(doc);
        sentences.set(article, (sentences.get(article) ?? 0) + 1);
        if ((hasAll.get(article) ?? 0) === k) hasAll.set(article, k + 1);
      }
    }
    // An article that lacked an earlier term stays behind; one that has this term moves on once.
    for (const [article, count] of hasAll) if (count === k) hasAll.delete(article);
  });
  return new Map([...sentences].filter(([article]) => hasAll.get(article) === terms.length));
}

/** Whether every term names what the article is about: it is in its title, a heading or a key point. */
function isMainTopic(index: SentenceIndex, article: Article, terms: readonly QueryTerm[]): boolean {
  const texts = [article.title, ...article.sections, ...article.keyPoints.map((s) => s.text)];
  const found = new Set<number>();
  for (const text of texts) for (const id of index.termsOfText(text)) found.add(id);
  return terms.every((t) => t.alternatives.some((a) => found.has(a.termId)));
}
