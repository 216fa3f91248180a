/**
 * Plain-text answers for the terminal (`npm run ask`) and the JSON contract
 * other tools read (`ask --json`, `ask --jsonl`).
 */

import type { Article } from '../article.js';
import { byNewest } from '../article.js';
import { type Answer, type AnswerKind, type Fact, type FactSource, sourceOf } from '../search/types.js';

/** The `ask --json` shape: exactly these fields, nothing more. */
export interface AnswerJson {
  question: string;
  kind: AnswerKind;
  facts: Fact[];
}

/** The contract object for an answer. */
export function answerToJson(answer: Answer): AnswerJson {
  return {
    question: answer.question,
    kind: answer.kind,
    facts: answer.facts.map((f) => ({
      text: f.text,
      score: f.score,
      context: f.context,
      sources: f.sources.map(sourceOf),
    })),
  };
}

/** `Title › Section`, or the title alone when the sentence has no section. */
export function sourceLabel(source: Pick<FactSource, 'title' | 'section'>): string {
  return source.section ? `${source.title} › ${source.section}` : source.title;
}

/** How many topics a suggestion names. */
const TOPICS = 4;

/** Topics per article list: a list is replaced, never changed, when the knowledge reloads. */
const topicsCache = new WeakMap<readonly Article[], string[]>();

/**
 * Up to a few things the knowledge is about, for "nothing found"
 * suggestions: the sections of the newest articles. Computed once per
 * article list, since sorting a large archive for every answer would cost
 * more than the answer.
 */
export function suggestTopics(articles: readonly Article[]): string[] {
  const cached = topicsCache.get(articles);
  if (cached) return cached;
  const topics: string[] = [];
  for (const article of [...articles].sort(byNewest)) {
    for (const section of article.sections) {
      if (section.toLowerCase() === 'key points' || section.toLowerCase() === 'commentary') continue;
      if (!topics.includes(section)) topics.push(section);
      if (topics.length >= TOPICS) break;
    }
    if (topics.length >= TOPICS) break;
  }
  topicsCache.set(articles, topics);
  return topics;
}

/** The readable answer: numbered facts with their sources, or one line saying nothing was found. */
export function formatAnswerText(answer: Answer, articles: readonly Article[]): string {
  if (answer.facts.length === 0) {
    const topics = suggestTopics(articles);
    const reason = answer.notice ?? 'Nothing relevant found in the articles for that question.';
    return topics.length ? `${reason} Try asking about: ${topics.join('; ')}.` : reason;
  }
  const lines: string[] =
    answer.kind === 'overview' ? [`Overview: ${answer.overviewOf ?? 'the articles'}`] : [];
  answer.facts.forEach((fact, i) => {
    // The sentence a fact leans on comes first, indented, so the fact reads as it does in the article.
    if (fact.context) lines.push(`   (context) ${fact.context}`);
    lines.push(`${i + 1}. ${fact.text}`);
    for (const s of fact.sources) {
      const label = s.kind === 'commentary' ? '[commentary] ' : '';
      const date = s.published ? `, ${s.published}` : '';
      lines.push(`   ${label}${sourceLabel(s)} (${s.file}:${s.line}${date})${s.url ? ` ${s.url}` : ''}`);
    }
  });
  return lines.join('\n');
}
