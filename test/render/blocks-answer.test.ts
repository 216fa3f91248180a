import { describe, expect, it } from 'vitest';
import {
  type AnswerOptions,
  decodeAnswerRef,
  encodeAnswerRef,
  renderAnswer,
} from '../../src/render/blocks-answer.js';
import type { Answer } from '../../src/search/types.js';
import { fact, source } from '../helpers/articles.js';
import { allText, limitViolations } from '../helpers/block-limits.js';

const options = (overrides: Partial<AnswerOptions> = {}): AnswerOptions => ({
  offset: 0,
  surface: 'private',
  askedBy: 'U0001',
  topics: ['Delegations', 'Demands'],
  ...overrides,
});

const answer = (overrides: Partial<Answer> = {}): Answer => ({
  question: 'Who leads the delegation?',
  kind: 'facts',
  facts: [fact('Medinsky leads the delegation.')],
  hasMore: false,
  ...overrides,
});

const actionIds = (message: { blocks: unknown[] }) =>
  (message.blocks as { type: string; elements?: { action_id: string }[] }[])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements?.map((e) => e.action_id) ?? []);

describe('renderAnswer', () => {
  it('quotes each fact and follows it with Title › Section, link, date and a commentary label', () => {
    const commentary = source({
      kind: 'commentary',
      section: 'Opinion',
      url: 'https://news.example/talks',
      published: '2025-05-16',
    });
    const message = renderAnswer(answer({ facts: [fact('Talks may fail.', [commentary])] }), options());
    const [, quote, line] = message.blocks as {
      type: string;
      text?: { text: string };
      elements?: { text: string }[];
    }[];
    expect(quote?.text?.text).toBe('>Talks may fail.');
    expect(line?.elements?.[0]?.text).toBe(
      ':speech_balloon: *Commentary* · _Talks in Istanbul › Opinion_ · <https://news.example/talks|article> · 2025-05-16',
    );
  });

  it('shows the sentence a fact leans on, quietly and escaped, just before the fact', () => {
    const leaning = {
      ...fact('The game was played at Levi’s Stadium.'),
      context: 'Super Bowl <50> was a game.',
    };
    const message = renderAnswer(answer({ facts: [leaning] }), options());
    const [, before, quote] = message.blocks as {
      type: string;
      text?: { text: string };
      elements?: { text: string }[];
    }[];
    expect(before?.type).toBe('context');
    expect(before?.elements?.[0]?.text).toBe('_Super Bowl &lt;50&gt; was a game._');
    expect(quote?.text?.text).toBe('>The game was played at Levi’s Stadium.');
    expect(limitViolations(message)).toEqual([]);
  });

  it.each(['private', 'thread', 'shared'] as const)('heads an overview as one on a %s answer', (surface) => {
    const overview = answer({
      kind: 'overview',
      overviewOf: 'Talks <in> Istanbul',
      facts: [fact('Delegates meet.'), fact('Russia rejects the truce.')],
    });
    const message = renderAnswer(overview, options({ surface }));
    expect(allText(message)).toContain('*Overview: Talks &lt;in&gt; Istanbul*');
    expect(message.text).toContain('Overview: Talks &lt;in&gt; Istanbul');
    expect(allText(message)).toContain('>Delegates meet.');
    expect(limitViolations(message)).toEqual([]);
  });

  it('names the title alone when the sentence has no section, and shows no link or date when unknown', () => {
    const message = renderAnswer(answer({ facts: [fact('x.', [source({ section: null })])] }), options());
    expect(allText(message)).toContain('_Talks in Istanbul_');
    expect(allText(message)).not.toContain('article>');
  });

  it('gives private answers Share, More (when there are more) and feedback buttons', () => {
    expect(actionIds(renderAnswer(answer({ hasMore: true }), options()))).toEqual([
      'answer_share',
      'answer_more',
      'feedback_up',
      'feedback_down',
    ]);
    expect(actionIds(renderAnswer(answer(), options()))).toEqual([
      'answer_share',
      'feedback_up',
      'feedback_down',
    ]);
  });

  it('gives thread answers no Share button, and shared answers no buttons but who asked', () => {
    expect(actionIds(renderAnswer(answer({ hasMore: true }), options({ surface: 'thread' })))).toEqual([
      'answer_more',
      'feedback_up',
      'feedback_down',
    ]);
    const shared = renderAnswer(answer({ hasMore: true }), options({ surface: 'shared' }));
    expect(actionIds(shared)).toEqual([]);
    expect(allText(shared)).toContain('<@U0001> asked:');
  });

  it('never builds a mention from something that is not a user id', () => {
    const shared = renderAnswer(answer(), options({ surface: 'shared', askedBy: '!channel' }));
    expect(allText(shared)).not.toContain('<');
  });

  it('carries the question and the next position in More facts', () => {
    const message = renderAnswer(
      answer({ hasMore: true, facts: [fact('a.'), fact('b.')] }),
      options({ offset: 3 }),
    );
    const buttons = (message.blocks.at(-1) as { elements: { action_id: string; value: string }[] }).elements;
    const more = buttons.find((b) => b.action_id === 'answer_more');
    expect(decodeAnswerRef(more?.value)).toEqual({ question: 'Who leads the delegation?', offset: 5 });
    const share = buttons.find((b) => b.action_id === 'answer_share');
    expect(decodeAnswerRef(share?.value)).toEqual({ question: 'Who leads the delegation?', offset: 3 });
  });

  it('says nothing was found, with the reason and topics, and shows no facts or buttons', () => {
    const message = renderAnswer(answer({ facts: [], notice: 'The question is empty.' }), options());
    const shown = allText(message);
    expect(shown).toContain('I found nothing in the articles about that. The question is empty.');
    expect(shown).toContain('Try asking about: Delegations · Demands');
    expect(shown).not.toMatch(/^>/m);
    expect(actionIds(message)).toEqual([]);
  });

  it('escapes the question and the facts', () => {
    const message = renderAnswer(
      answer({
        question: '<!channel> who?',
        facts: [fact('A <b> & <!here> c.', [source({ title: '<@U1>' })])],
      }),
      options(),
    );
    const shown = allText(message);
    expect(shown).toContain('&lt;!channel&gt; who?');
    expect(shown).toContain('>A &lt;b&gt; &amp; &lt;!here&gt; c.');
    expect(shown).toContain('&lt;@U1&gt;');
    expect(shown).not.toMatch(/<[!@]/);
  });
});

describe('Slack limits', () => {
  it('keeps a huge sentence within the section limit, cut with …', () => {
    const huge = `${'The delegates & officials <met> again. '.repeat(600)}End.`;
    const message = renderAnswer(answer({ question: 'q'.repeat(5000), facts: [fact(huge)] }), options());
    expect(limitViolations(message)).toEqual([]);
    const quote = allText(message)
      .split('\n')
      .find((l) => l.startsWith('>'));
    expect(quote?.endsWith('…')).toBe(true);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('keeps a fact found in many places within 10 context parts, counting the rest', () => {
    const sources = Array.from({ length: 25 }, (_, i) => source({ line: i + 1, section: `Section ${i}` }));
    const message = renderAnswer(answer({ facts: [fact('x.', sources)] }), options());
    expect(limitViolations(message)).toEqual([]);
    expect(allText(message)).toContain('and 16 more places');
  });

  it('stays within 50 blocks however many facts it is given, saying what was left out', () => {
    const facts = Array.from({ length: 60 }, (_, i) => fact(`Fact ${i}.`));
    const message = renderAnswer(answer({ facts }), options());
    expect(limitViolations(message)).toEqual([]);
    expect(allText(message)).toMatch(/more items not shown here/);
  });

  it('drops the buttons rather than exceed a button value', () => {
    const message = renderAnswer(answer({ question: '"'.repeat(1500), hasMore: true }), options());
    expect(actionIds(message)).toEqual([]);
    expect(limitViolations(message)).toEqual([]);
  });
});

describe('answer references', () => {
  it('round-trips', () => {
    const value = encodeAnswerRef({ question: 'Who? "quoted" <x>', offset: 3 });
    expect(decodeAnswerRef(value ?? undefined)).toEqual({ question: 'Who? "quoted" <x>', offset: 3 });
  });

  it.each(['', 'nope', '[]', 'null', '{"q":1,"o":0}', '{"q":"x","o":-1}', '{"q":"x","o":1.5}', '{"q":"x"}'])(
    'rejects %s',
    (value) => {
      expect(decodeAnswerRef(value)).toBeNull();
    },
  );
});
