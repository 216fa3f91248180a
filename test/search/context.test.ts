/**
 * Sentences read with their paragraph: a question whose words are spread
 * over a paragraph finds the sentence that answers it, a word the articles
 * never use does not veto a strong match, and a fact that leans on the
 * sentence before it carries that sentence as context.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { articleFromBytes } from '../../src/knowledge/load-knowledge.js';
import { leansOn } from '../../src/search/context.js';

function knowledge(body: string): KnowledgeBase {
  const text = `---\ntitle: Coastal rowing season\n---\n\n${body}\n`;
  const { article } = articleFromBytes(new TextEncoder().encode(text), 'knowledge/rowing.md');
  return new KnowledgeBase({ articles: article ? [article] : [], problems: [] });
}

const OPENING = 'The Harbour Cup final was a rowing race to decide the champion of the coastal league.';
const VENUE = 'The race was held on 7 June at Marlow Basin in Kent.';
const OTHER = [
  // Without its paragraph, this sentence matches more of the question than the answer does.
  'The Harbour Cup heats were held at Dover in May.',
  'Tickets for the Harbour Cup final sold out within a day.',
  'Crews trained for the Harbour Cup final through the winter.',
  'The league was founded by six clubs from the southern coast.',
  'Its first season drew crowds of several thousand to the seafront.',
  'A new boathouse opened at Dover in the spring.',
  'The clubs agreed new safety rules for racing in rough water.',
];

describe('reading a sentence in its paragraph', () => {
  it('finds the sentence that answers, though the paragraph names what it is about', () => {
    const kb = knowledge([`${OPENING} ${VENUE}`, ...OTHER].join('\n\n'));
    const first = kb.answer('At which basin was the Harbour Cup final held?').facts[0];
    expect(first?.text).toBe(VENUE);
    expect(first?.context).toBe(OPENING);
  });

  it('shows no context for a sentence that stands alone', () => {
    const kb = knowledge([OPENING, VENUE, ...OTHER].join('\n\n'));
    const facts = kb.answer('At which basin was the Harbour Cup final held?').facts;
    expect(facts.map((f) => f.text)).toContain(VENUE);
    expect(facts.map((f) => f.context)).toEqual(facts.map(() => null));
  });

  it('lets a strong match stand when one question word is not in the articles, or is misspelt', () => {
    const kb = knowledge(
      [
        OPENING,
        'Channel Nine broadcast the Harbour Cup final live across Britain.',
        'Miller made five tackles.',
        ...OTHER,
      ].join('\n\n'),
    );
    expect(kb.answer('Who broadcast the Harbour Cup final on TV?').facts[0]?.text).toBe(
      'Channel Nine broadcast the Harbour Cup final live across Britain.',
    );
    expect(kb.answer('How many tackels did Miller make?').facts[0]?.text).toBe('Miller made five tackles.');
    expect(kb.answer('Who won the chess olympiad in Budapest?').facts).toEqual([]);
  });
});

describe('leansOn', () => {
  it.each([
    ['The race was held at Marlow Basin.', true],
    ['However, they left early.', true],
    ['This was the first final.', true],
    ['The league was founded in 1990.', true],
    ['The weather was calm all week.', false],
    ['The Harbour Cup began in May.', false],
    ['Rowers trained all winter.', false],
  ])('"%s" leans on a sentence about a rowing race: %s', (text, expected) => {
    expect(leansOn(OPENING, text)).toBe(expected);
  });
});
