/** The terminal answer and the JSON contract (`ask`, `ask --json`). */
import { describe, expect, it } from 'vitest';
import { answerToJson, formatAnswerText } from '../../src/render/answer-text.js';
import type { Answer } from '../../src/search/types.js';
import { fact } from '../helpers/articles.js';

const leaning = { ...fact('The game was played at Levi’s Stadium.'), context: 'Super Bowl 50 was a game.' };

describe('answer text', () => {
  it('prints the sentence a fact leans on as an indented line before it', () => {
    const answer: Answer = { question: 'Where?', kind: 'facts', facts: [leaning], hasMore: false };
    const lines = formatAnswerText(answer, []).split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '   (context) Super Bowl 50 was a game.',
      '1. The game was played at Levi’s Stadium.',
    ]);
  });

  it('heads an overview with the article it sums up', () => {
    const answer: Answer = {
      question: 'summary',
      kind: 'overview',
      overviewOf: 'Talks in Istanbul',
      facts: [fact('Delegates meet.')],
      hasMore: false,
    };
    expect(formatAnswerText(answer, []).split('\n').slice(0, 2)).toEqual([
      'Overview: Talks in Istanbul',
      '1. Delegates meet.',
    ]);
  });

  it('gives JSON the kind of the answer and each fact its context, or null', () => {
    const answer: Answer = { question: 'q', kind: 'facts', facts: [leaning, fact('Plain.')], hasMore: true };
    const json = answerToJson(answer);
    expect(Object.keys(json)).toEqual(['question', 'kind', 'facts']);
    expect(json.kind).toBe('facts');
    expect(json.facts.map((f) => f.context)).toEqual(['Super Bowl 50 was a game.', null]);
  });
});
