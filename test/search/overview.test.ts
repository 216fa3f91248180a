/**
 * Broad questions get an overview: the key points of the most relevant
 * article (the newest when several are equally relevant), or its opening
 * sentences when it has none; a broad question about something no article
 * covers gets nothing.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { articleFromBytes, loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const seed = new KnowledgeBase(await loadKnowledge('knowledge'));
const keyPoints = seed.articles[0]?.keyPoints.map((s) => s.text) ?? [];

function article(file: string, text: string) {
  const { article: built } = articleFromBytes(new TextEncoder().encode(text), file);
  if (!built) throw new Error(`${file} does not load`);
  return built;
}

const FERRY = article(
  'knowledge/ferry.md',
  '---\ntitle: Island ferry timetable changes\npublished: 2025-06-01\n---\n\n## Key points\n\n- The island ferry will run every two hours from June.\n\n## Timetable\n\nThe ferry operator cited rising fuel costs for the island crossing.\n',
);
const LIGHTHOUSE = article(
  'knowledge/lighthouse.md',
  '---\ntitle: Lighthouse restored\npublished: 2025-06-03\n---\n\nThe old lighthouse on the northern cape was restored by volunteers in April. Its lamp was lit again on Sunday.\n\nThe council thanked the volunteers.\n',
);

describe('broad questions', () => {
  it.each([
    'summary',
    'tl;dr',
    'Give me an overview',
    'What are the main points?',
    'What happened in Istanbul?',
    'What’s the latest on the talks?',
  ])('answer "%s" with the key points, headed as an overview', (question) => {
    const answer = seed.answer(question);
    expect(answer.kind).toBe('overview');
    expect(answer.overviewOf).toBe(seed.articles[0]?.title);
    expect(answer.facts.map((f) => f.text)).toEqual(keyPoints.slice(0, 5));
    expect(answer.facts[0]?.sources[0]?.section).toBe('Key points');
  });

  it.each([
    'What happened in Syria?',
    'Give me a summary of the Paris climate agreement',
    'What is the latest on the Olympics?',
  ])('are not broad when no article covers what they name: "%s" gets nothing', (question) => {
    expect(seed.answer(question)).toMatchObject({ kind: 'facts', facts: [] });
  });

  it('sum up the article the question names, or the newest when it names none', () => {
    const kb = new KnowledgeBase({ articles: [FERRY, LIGHTHOUSE], problems: [] });
    expect(kb.answer('What is the latest on the ferry?').overviewOf).toBe('Island ferry timetable changes');
    expect(kb.answer('summary').overviewOf).toBe('Lighthouse restored');
  });

  it('show the opening sentences of an article without key points, a page at a time', () => {
    const kb = new KnowledgeBase({ articles: [LIGHTHOUSE], problems: [] });
    const first = kb.answer('tl;dr', { limit: 2 });
    expect(first.facts.map((f) => f.text)).toEqual([
      'The old lighthouse on the northern cape was restored by volunteers in April.',
      'Its lamp was lit again on Sunday.',
    ]);
    expect(first.hasMore).toBe(true);
    expect(kb.answer('tl;dr', { limit: 2, offset: 2 }).facts.map((f) => f.text)).toEqual([
      'The council thanked the volunteers.',
    ]);
  });

  it('leave questions about one thing to the facts', () => {
    expect(seed.answer('Who leads the Russian delegation?').kind).toBe('facts');
    expect(
      seed.answer('What does Turkey’s role as a mediator highlight about its influence in diplomacy?').kind,
    ).toBe('facts');
  });
});
