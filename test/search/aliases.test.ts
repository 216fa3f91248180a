/**
 * Spellings an article declares equivalent in its front matter (`aliases`):
 * a question that writes a name one way finds the sentences that write it
 * another, which spelling correction alone cannot reach.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { articleFromBytes } from '../../src/knowledge/load-knowledge.js';

const SENTENCE = 'Colonel Gaddafi rejected the proposal from the mediators on Monday.';

function knowledgeWith(frontMatter: string): KnowledgeBase {
  const text = `---\ntitle: Talks in Tripoli\n${frontMatter}---\n\n${SENTENCE}\n\nThe mediators left the city on Tuesday.\n`;
  const { article, problems } = articleFromBytes(new TextEncoder().encode(text), 'knowledge/tripoli.md');
  expect(problems).toEqual([]);
  return new KnowledgeBase({ articles: article ? [article] : [], problems: [] });
}

describe('aliases from front matter', () => {
  it('finds a name written as another of its declared spellings', () => {
    const kb = knowledgeWith('aliases:\n  - [Gaddafi, Kadhafi, Qadhafi]\n');
    expect(kb.answer('What did Kadhafi reject?').facts[0]?.text).toBe(SENTENCE);
    expect(kb.answer('Who rejected the proposal? Qadhafi?').facts[0]?.text).toBe(SENTENCE);
  });

  it('leaves a spelling no article declares to spelling correction, which does not reach this one', () => {
    const kb = knowledgeWith('');
    expect(kb.answer('What did Kadhafi reject?').facts).toEqual([]);
  });
});
