import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/sentences/split-sentences.js';

const texts = (paragraph: string) => splitSentences(paragraph).map((s) => s.text);

describe('splitSentences', () => {
  it('splits at sentence ends and keeps each sentence exactly', () => {
    expect(texts('Talks began. Both sides attended! Will they agree? Nobody knows.')).toEqual([
      'Talks began.',
      'Both sides attended!',
      'Will they agree?',
      'Nobody knows.',
    ]);
  });

  it('does not split after titles such as Mr., Dr. and St.', () => {
    expect(texts('Mr. Smith met Dr. Jones at St. Paul’s Cathedral. They talked.')).toEqual([
      'Mr. Smith met Dr. Jones at St. Paul’s Cathedral.',
      'They talked.',
    ]);
  });

  it('does not split after initials or inside decimals', () => {
    expect(texts('John F. Kennedy spoke. Exports rose 3.5 percent to $1.2 billion. It ended.')).toEqual([
      'John F. Kennedy spoke.',
      'Exports rose 3.5 percent to $1.2 billion.',
      'It ended.',
    ]);
  });

  it('lets the next word decide after dotted acronyms such as U.S. and a.m.', () => {
    expect(
      texts('The U.S. President arrived. Talks moved to the U.S. The delegation left at 9 a.m. on Friday.'),
    ).toEqual([
      'The U.S. President arrived.',
      'Talks moved to the U.S.',
      'The delegation left at 9 a.m. on Friday.',
    ]);
  });

  it('keeps closing quotes with their sentence and does not split before a lower-case word', () => {
    expect(texts('“We will not accept this,” he said. “Never.” Then he left. "Why?" she asked.')).toEqual([
      '“We will not accept this,” he said.',
      '“Never.”',
      'Then he left.',
      '"Why?" she asked.',
    ]);
  });

  it('treats "No." as an abbreviation only before a number', () => {
    expect(texts('See No. 5 for details. He said no. The end.')).toEqual([
      'See No. 5 for details.',
      'He said no.',
      'The end.',
    ]);
  });

  it('reports where each sentence starts and keeps a final sentence without punctuation', () => {
    const spans = splitSentences('  First one.   Second one');
    expect(spans).toEqual([
      { text: 'First one.', start: 2 },
      { text: 'Second one', start: 15 },
    ]);
  });

  it('looks for the next sentence’s capital within eight characters, past quotes and brackets', () => {
    expect(texts('It ended. (((((((A new day began.')).toEqual(['It ended.', '(((((((A new day began.']);
    expect(texts('It ended. ((((((((A new day began.')).toEqual(['It ended. ((((((((A new day began.']);
  });

  it('takes any white space, wide or unbreakable, as the gap between sentences', () => {
    expect(texts('It ended.\u00a0Then more.\u3000And more.')).toEqual([
      'It ended.',
      'Then more.',
      'And more.',
    ]);
    expect(texts('They met\u3000Dr. Smith there. He left.')).toEqual([
      'They met\u3000Dr. Smith there.',
      'He left.',
    ]);
  });

  it('returns nothing for blank text', () => {
    expect(splitSentences('   \n ')).toEqual([]);
  });

  it('handles a very long paragraph in linear time', () => {
    const paragraph = 'The delegates met again in Istanbul on Monday. '.repeat(20_000);
    const spans = splitSentences(paragraph);
    expect(spans).toHaveLength(20_000);
    expect(spans[19_999]?.text).toBe('The delegates met again in Istanbul on Monday.');
  });
});
