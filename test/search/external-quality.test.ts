/**
 * Answer quality on an article and crowd questions nobody on the project
 * wrote (SQuAD's Notre Dame article, see test/fixtures/external/README.md),
 * scored as `npm run eval` scores it: the knowledge folder plus the article,
 * and the knowledge folder alone for off-topic abstention. The floors are
 * the product's for articles the bot was not tuned on.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';
import { readSquadFile } from '../../src/knowledge/squad.js';
import { holdsAnswer, scoreQuestions } from '../../src/search/evaluate.js';

const base = await loadKnowledge('knowledge');
const [squad] = readSquadFile('test/fixtures/external/notre-dame.squad.json');
if (!squad) throw new Error('the Notre Dame set has no article');
const withArticle = new KnowledgeBase({ articles: [...base.articles, squad.article], problems: [] });
const alone = new KnowledgeBase({ articles: base.articles, problems: [] });
const scores = scoreQuestions(
  squad.questions,
  (q) => withArticle.answer(q, { limit: 5 }).facts,
  (q) => alone.answer(q, { limit: 5 }).facts,
);

describe('answer quality on SQuAD’s Notre Dame article', () => {
  it('scores all 269 questions', () => {
    expect(scores.questions).toBe(269);
  });

  it('puts the sentence holding the answer first for at least 60% of questions', () => {
    expect(scores.hit1).toBeGreaterThanOrEqual(0.6);
  });

  it('has it in the first three for at least 78%', () => {
    expect(scores.hit3).toBeGreaterThanOrEqual(0.78);
  });

  it('answers at least 97% of the questions the article answers', () => {
    expect(scores.falseAbstain).toBeLessThanOrEqual(0.03);
  });

  it('answers at most 5% of them when the article is not loaded', () => {
    expect(scores.offTopicAbstain).toBeGreaterThanOrEqual(0.95);
  });
});

describe('holdsAnswer', () => {
  const gold = { question: 'q', paragraph: 'One two. Three four five. Six.', spans: [[15, 4]] as const };

  it('takes a fact that overlaps a gold span where it stands in the paragraph', () => {
    expect(holdsAnswer('Three four five.', gold)).toBe(true);
    expect(holdsAnswer('One two.', gold)).toBe(false);
    expect(holdsAnswer('Seven.', gold)).toBe(false);
  });
});
