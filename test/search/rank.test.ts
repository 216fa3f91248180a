/**
 * Ranking on small fixture articles: each case is a question and the
 * sentence a reader expects first, written from the article text.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { articleFromBytes, loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const kb = new KnowledgeBase(await loadKnowledge('test/fixtures/articles'));
const first = (question: string) => kb.answer(question).facts[0];

/** A knowledge base from inline articles, keyed by file name. */
function build(articles: Record<string, string>): KnowledgeBase {
  const loaded = Object.entries(articles).map(
    ([file, text]) => articleFromBytes(Buffer.from(text), file).article,
  );
  return new KnowledgeBase({ articles: loaded.filter((a) => a !== null), problems: [] });
}

describe('ranking', () => {
  it.each([
    ['Who led the Kyiv delegation?', 'The delegation from Kyiv was led by Deputy Minister Olena Kovalenko.'],
    [
      'How much did shipments rise?',
      'Dr. Petrov, an adviser to the U.S. delegation, said shipments rose 4.5 percent in May.',
    ],
    ['Kiev delegation', 'The delegation from Kyiv was led by Deputy Minister Olena Kovalenko.'],
    // A courtesy title is not what the question is about: Mr. Petrov is the Dr. Petrov of the article.
    [
      'What did Mr. Petrov say?',
      'Dr. Petrov, an adviser to the U.S. delegation, said shipments rose 4.5 percent in May.',
    ],
    [
      'Will the truce on the Black Sea hold?',
      'Officials expect the armistice on the Black Sea to hold through the harvest.',
    ],
    ['Genevva talks', 'Negotiators from both countries resumed grain corridor talks in Geneva on Monday.'],
    ['How much will wages rise?', 'Wages will rise by 12 percent next year.'],
    [
      'Who mediated the dock agreement?',
      'The union and the port operator signed the agreement on Friday after mediation by the city council.',
    ],
    [
      'What did the union leader call the deal?',
      'Mr. Hrytsenko, the union leader, called the deal a fair compromise.',
    ],
  ])('answers "%s" with the expected sentence first', (question, expected) => {
    expect(first(question)?.text).toBe(expected);
  });

  it('finds a spelling variant and labels commentary as such', () => {
    const fact = first('skepticism of insurers');
    expect(fact?.text).toBe('The scepticism of insurers keeps freight costs high.');
    expect(fact?.sources[0]?.kind).toBe('commentary');
  });

  it('merges a key point and the report sentence repeating it into one fact with both sources', () => {
    const fact = first('What extension did the United Nations propose?');
    expect(fact?.sources.map((s) => [s.section, s.line])).toEqual(
      expect.arrayContaining([
        ['Key points', 12],
        ['The negotiations', 20],
      ]),
    );
    expect(
      kb
        .answer('What extension did the United Nations propose?')
        .facts.filter((f) => f.text.includes('90-day')),
    ).toHaveLength(1);
  });

  it('weighs a misspelled common word in the sentences of the rare name beside it', () => {
    const filler = Array.from({ length: 300 }, (_, i) => `The government met on day ${i + 1}.`).join('\n\n');
    const archive = build({
      'k/a.md': `---\ntitle: Cabinet\n---\n${filler}\n\nThe governor of the region met the council.\n\nZelenskyy visited the port at dawn.\n\nZelenskyy spoke to the government about the corridor.\n`,
    });
    const facts = archive.answer('zelenskyy goverment').facts;
    expect(facts[0]?.text).toBe('Zelenskyy spoke to the government about the corridor.');
    expect(facts.every((f) => f.text.includes('Zelenskyy'))).toBe(true);
  });

  it('counts a sentence word once even when two question words reach it', () => {
    // "represents" reaches "negotiations" through "negotiators" (one stem), and so does "talks".
    const talks = build({
      'k/a.md':
        '---\ntitle: Talks\n---\nCeasefire negotiations between Russia and Ukraine are hosted in Istanbul.\n\nBoth countries are represented by senior figures, with Ukraine represented by its defence minister.\n',
    });
    expect(talks.answer('Who represents Ukraine at the talks?').facts[0]?.text).toBe(
      'Both countries are represented by senior figures, with Ukraine represented by its defence minister.',
    );
  });

  it('prefers news over commentary when both are equally relevant', () => {
    const both = build({
      'k/a.md':
        '---\ntitle: Bridge\n---\nThe bridge opened to traffic.\n\n# View {kind=commentary}\n\nThe bridge opened too late.\n',
    });
    const facts = both.answer('bridge opened').facts;
    expect(facts.map((f) => f.sources[0]?.kind)).toEqual(['news', 'commentary']);
  });

  it('gives scores in [0, 1] that never rise down the list, and pages with offset', () => {
    const all = kb.answer('corridor', { limit: 10 });
    expect(all.facts.length).toBeGreaterThan(2);
    const scores = all.facts.map((f) => f.score);
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(0);
    for (const s of scores) expect(s).toBeLessThanOrEqual(1);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const page = kb.answer('corridor', { limit: 1, offset: 1 });
    expect(page.facts[0]?.text).toBe(all.facts[1]?.text);
    expect(page.hasMore).toBe(all.facts.length > 2);
  });
});

describe('abstention', () => {
  it.each([
    'What is the capital of Australia?',
    'Who won the football match last night?',
    'How do I reset my password?',
    'What did Macron say about the corridor?',
    'Which hotel did the negotiators stay in?',
  ])('returns no facts for "%s"', (question) => {
    expect(kb.answer(question).facts).toEqual([]);
  });

  it('does not take a name for an ordinary word that shares its stem, or a word for a name that starts alike', () => {
    const lookalikes = build({
      'k/a.md':
        '---\ntitle: Council\n---\nThe pariing of the council was delayed again.\n\nCatersir Pastan confirmed the harbour plan.\n',
    });
    expect(lookalikes.answer('What did the council in Paris decide?').facts).toEqual([]);
    expect(lookalikes.answer('How do I cook pasta?').facts).toEqual([]);
    // The same words written as they are still match.
    expect(lookalikes.answer('Pastan harbour plan').facts[0]?.text).toBe(
      'Catersir Pastan confirmed the harbour plan.',
    );
  });

  it('answers "how old" with a sentence holding a number, or not at all', () => {
    const profile = (text: string) => build({ 'k/a.md': `---\ntitle: Profile\n---\n${text}\n` });
    expect(profile('Putin met the envoys in Moscow.').answer('How old is Putin?').facts).toEqual([]);
    expect(profile('Putin, 72, met the envoys in Moscow.').answer('How old is Putin?').facts[0]?.text).toBe(
      'Putin, 72, met the envoys in Moscow.',
    );
  });

  it('explains an empty question or one with no words to search for', () => {
    expect(kb.answer('   ').notice).toMatch(/empty/);
    expect(kb.answer('what is it?').notice).toMatch(/no words/);
    expect(kb.answer('what is it?').facts).toEqual([]);
  });
});

describe('untrusted questions', () => {
  it.each([
    ['10,000 characters', 'corridor '.repeat(1200)],
    ['control characters', 'Geneva\u0000\u0007\u001b[31m talks\u0008'],
    ['emoji', '🕊️ Geneva 🤝 talks 🚢'],
    ['right-to-left text', 'ما هي محادثات جنيف؟ Geneva'],
    ['fuse.js operators', "'Geneva !talks ^grain =corridor | =delegation$"],
    ['regular expression syntax', '(.*)+[a-z]{1000}\\1 Geneva(?=x)'],
    ['Slack markup', '<!channel> <@U123> <http://x|y> &amp; Geneva'],
  ])('answers a question with %s without throwing', (_kind, question) => {
    const answer = kb.answer(question);
    expect(answer.question).toBe(question);
    expect(Array.isArray(answer.facts)).toBe(true);
  });

  it('finds the words inside operator-laden text', () => {
    expect(first("'Geneva !talks")?.text).toContain('Geneva');
  });
});
