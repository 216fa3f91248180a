import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleFromBytes } from '../../src/knowledge/load-knowledge.js';

// The seed article byte for byte as it arrived, before it was written as Markdown.
const seedText = readFileSync(new URL('../fixtures/seed/istanbul-ceasefire-talks.txt', import.meta.url));
const seedMarkdown = readFileSync(new URL('../../knowledge/istanbul-ceasefire-talks.md', import.meta.url));

describe('plain-text articles', () => {
  it('read the seed .txt verbatim into the same sentences and sections as the shipped Markdown', () => {
    const text = articleFromBytes(seedText, 'seed/istanbul-ceasefire-talks.txt');
    const markdown = articleFromBytes(seedMarkdown, 'knowledge/istanbul-ceasefire-talks.md');
    expect(text.problems).toEqual([]);
    expect(markdown.problems).toEqual([]);
    const view = (a: typeof text.article) => ({
      title: a?.title,
      sections: a?.sections,
      sentences: a?.sentences.map((s) => ({ text: s.text, section: s.section, kind: s.kind })),
      keyPoints: a?.keyPoints.map((s) => s.text),
    });
    expect(view(text.article)).toEqual(view(markdown.article));
    expect(text.article?.sentences).toHaveLength(52);
  });

  it('finds the title, key points, headings and the commentary part', () => {
    const { article } = articleFromBytes(seedText, 'seed/istanbul-ceasefire-talks.txt');
    expect(article?.title).toBe(
      'Ceasefire talks between Ukraine and Russia are taking place in Turkey, with delegates meeting for the first time since March 2022.',
    );
    expect(article?.keyPoints.map((s) => s.line)).toEqual([2, 3, 4, 5, 6]);
    expect(article?.sections).toEqual([
      'Key points',
      'Historic Meeting of Delegates in Istanbul',
      'Contentious Issues in Negotiations',
      'The Role of Global Stakeholders',
      'Outlook and Implications',
      'Commentary',
      'The Fragility of Ceasefire Talks',
      'The Importance of Mediators',
      'Moving Forward',
    ]);
    const medinsky = article?.sentences.find((s) => s.text.includes('Medinsky'));
    expect(medinsky).toMatchObject({
      line: 9,
      section: 'Historic Meeting of Delegates in Istanbul',
      kind: 'news',
    });
    const last = article?.sentences.at(-1);
    expect(last).toMatchObject({ line: 28, section: 'Moving Forward', kind: 'commentary' });
  });

  it('joins hard-wrapped lines into one paragraph and keeps the starting line of each sentence', () => {
    const text =
      'Port reopens\n\nThe port reopened on Monday after\nweeks of repairs. Ships returned.\nTrade resumed.\n';
    const { article } = articleFromBytes(Buffer.from(text), 'k/port.txt');
    expect(article?.sentences.map((s) => [s.text, s.line])).toEqual([
      ['The port reopened on Monday after weeks of repairs.', 3],
      ['Ships returned.', 4],
      ['Trade resumed.', 5],
    ]);
  });

  it('reads CRLF line endings and a byte-order mark like plain LF text', () => {
    const text = '\uFEFFPort reopens\r\nShips returned.\r\n\r\nDetails\r\nTrade resumed today.\r\n';
    const { article } = articleFromBytes(Buffer.from(text), 'k/port.txt');
    expect(article?.title).toBe('Port reopens');
    expect(article?.sentences.map((s) => [s.text, s.section, s.line])).toEqual([
      ['Ships returned.', 'Key points', 2],
      ['Trade resumed today.', 'Details', 5],
    ]);
  });
});
