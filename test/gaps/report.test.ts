/**
 * The editors' report on fixed lists of kept questions: which questions count
 * as one, the order, the example wording, and the text printed.
 */
import { describe, expect, it } from 'vitest';
import { formatGapReport, gapReport, questionKey } from '../../src/gaps/report.js';
import type { Gap } from '../../src/store/store.js';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 4, 1, 12);

let clock = T0;
/** A kept question, each one a minute after the one before. */
function asked(question: string, extra: Partial<Gap> = {}): Gap {
  clock += 60_000;
  return { kind: 'unanswered', question, surface: 'command', teamId: 'T1', at: clock, ...extra };
}

describe('questionKey', () => {
  it.each([
    ['case and punctuation', 'What is the capital of France?', 'CAPITAL OF FRANCE??'],
    ['word order and a possessive', 'What is the capital of France?', "France's capital: what is it?"],
    ['plural and singular', 'How many tanks has Germany sent?', 'how many tank did germany send'],
    ['stop words', 'Is there a ceasefire in Gaza?', 'ceasefire gaza'],
    ['a hyphenated compound', 'Is there a cease-fire in Gaza?', 'ceasefire in Gaza'],
    ['a known multi-word name', 'Did the United States sign?', 'did the US sign'],
  ])('reads two wordings as one question despite %s', (_, a, b) => {
    expect(questionKey(a)).toBe(questionKey(b));
  });

  it.each([
    ['capital of France', 'capital of Spain'],
    ['Who won the 2022 World Cup?', 'Who won the 2018 World Cup?'],
    ['What did Rubio say?', 'What did Lavrov say?'],
  ])('keeps "%s" and "%s" apart', (a, b) => {
    expect(questionKey(a)).not.toBe(questionKey(b));
  });

  it('groups a question of stop words only by its own words', () => {
    expect(questionKey('What is it?')).toBe(questionKey('what is it'));
    expect(questionKey('What is it?')).not.toBe(questionKey('Who is he?'));
  });
});

describe('gapReport', () => {
  const gaps: Gap[] = [
    asked('What is the capital of France?'),
    asked('Who won the 2022 World Cup?', { surface: 'dm' }),
    asked('capital of france', { surface: 'mention' }),
    asked('What is the capital of France?', { surface: 'dm' }),
    asked('France capital?'),
    asked("Who leads Russia's delegation?", { kind: 'disliked', surface: 'mention' }),
    asked('who leads russias delegation', { kind: 'disliked' }),
    asked('When do the talks resume?', { kind: 'disliked' }),
    asked('who won the 2022 world cup', { surface: 'dm' }),
  ];

  it('counts near-identical questions as one, most frequent first, each kind apart', () => {
    const report = gapReport(gaps);
    expect(report.unanswered.map((g) => [g.count, g.example])).toEqual([
      [4, 'What is the capital of France?'],
      [2, 'who won the 2022 world cup'],
    ]);
    expect(report.disliked.map((g) => [g.count, g.example])).toEqual([
      [2, 'who leads russias delegation'],
      [1, 'When do the talks resume?'],
    ]);
  });

  it('says where and when each group was asked', () => {
    const [france] = gapReport(gaps).unanswered;
    expect(france?.surfaces).toEqual({ command: 2, mention: 1, dm: 1 });
    expect(france?.firstAt).toBe(gaps[0]?.at);
    expect(france?.lastAt).toBe(gaps[4]?.at);
  });

  it('shows the wording asked most often, and of equally frequent ones the latest', () => {
    // "What is the capital of France?" twice beats three wordings once each.
    expect(gapReport(gaps).unanswered[0]?.example).toBe('What is the capital of France?');
    // Two wordings once each: the later one.
    expect(gapReport(gaps).unanswered[1]?.example).toBe('who won the 2022 world cup');
  });

  it('orders equally frequent groups by the latest asked first, and keeps at most `limit` of each kind', () => {
    const report = gapReport(
      [asked('Where is Kherson?'), asked('Who is Umerov?'), asked('What is NATO?'), asked('Who is Umerov')],
      2,
    );
    expect(report.unanswered.map((g) => g.example)).toEqual(['Who is Umerov', 'What is NATO?']);
  });

  it('is empty for no questions', () => {
    expect(gapReport([])).toEqual({ unanswered: [], disliked: [] });
  });

  it('prints a question on one line, without the control characters a terminal would act on', () => {
    const [group] = gapReport([asked('Who is\n\u001b[31mUmerov\u009b?\t')]).unanswered;
    expect(group?.example).toBe('Who is [31mUmerov ?');
  });
});

describe('formatGapReport', () => {
  it('prints each kind under its heading, one line per group with its count, example, last date and surfaces', () => {
    clock = T0;
    const report = gapReport([
      asked('What is the capital of France?'),
      asked('capital of France', { surface: 'dm', at: T0 + 2 * DAY }),
      asked('Who leads?', { kind: 'disliked', surface: 'mention' }),
    ]);
    expect(formatGapReport(report, { days: 7 })).toBe(
      [
        'Questions the articles did not answer in the last 7 days, most frequent first:',
        '  2×  capital of France  (last 2026-05-03; /ceasefire 1, DM 1)',
        '',
        'Answers readers marked not helpful (👎) in the last 7 days, most frequent first:',
        '  1×  Who leads?  (last 2026-05-01; mention 1)',
      ].join('\n'),
    );
  });

  it('says when there is nothing of a kind, naming the period and workspace', () => {
    expect(formatGapReport({ unanswered: [], disliked: [] }, { days: 1, teamId: 'T0001' })).toBe(
      'No unanswered questions in the last 1 day in workspace T0001.\n\n' +
        'No answers marked not helpful in the last 1 day in workspace T0001.',
    );
  });
});
