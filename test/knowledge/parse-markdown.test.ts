import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { articleFromBytes } from '../../src/knowledge/load-knowledge.js';

const read = (path: string) => readFileSync(new URL(`../fixtures/articles/${path}`, import.meta.url));
const md = (text: string) => articleFromBytes(Buffer.from(text), 'knowledge/a.md');

describe('Markdown articles', () => {
  it('carry front matter into every sentence, with sections, lines and kinds', () => {
    const { article, problems } = articleFromBytes(read('grain-corridor.md'), 'knowledge/grain-corridor.md');
    expect(problems).toEqual([]);
    expect(article).toMatchObject({
      title: 'Grain corridor talks resume in Geneva',
      slug: 'grain-corridor-talks-resume-in-geneva',
      url: 'https://example.com/news/grain-corridor',
      published: '2025-06-02',
      source: 'Example Wire',
      kind: 'news',
    });
    expect(article?.sections).toEqual(['Key points', 'The negotiations', 'Commentary']);
    expect(article?.keyPoints).toHaveLength(2);
    const petrov = article?.sentences.find((s) => s.text.startsWith('Dr. Petrov'));
    expect(petrov).toEqual({
      text: 'Dr. Petrov, an adviser to the U.S. delegation, said shipments rose 4.5 percent in May.',
      title: 'Grain corridor talks resume in Geneva',
      section: 'The negotiations',
      file: 'knowledge/grain-corridor.md',
      line: 18,
      paragraph: 2,
      url: 'https://example.com/news/grain-corridor',
      published: '2025-06-02',
      kind: 'news',
    });
    const critics = article?.sentences.find((s) => s.text.startsWith('Critics'));
    expect(critics).toMatchObject({ section: 'Commentary', kind: 'commentary', line: 25 });
  });

  it('reduces inline markup to text and skips code, comments and tables', () => {
    const { article } = md(
      [
        '---',
        'title: Markup',
        '---',
        'A [linked](https://x.test) word and **bold** and *italic* and `code` text.',
        '',
        '```',
        'Not a sentence.',
        '```',
        '<!-- hidden. -->',
        '| a | b |',
        '> A quoted line.',
        '',
        'Costs fell where x < 5 and y > 2 held, <b>said</b> the <span class="x">report</span>.',
      ].join('\n'),
    );
    expect(article?.sentences.map((s) => s.text)).toEqual([
      'A linked word and bold and italic and code text.',
      'A quoted line.',
      'Costs fell where x < 5 and y > 2 held, said the report.',
    ]);
  });

  it('ends a commentary part at the next heading of the same level', () => {
    const { article } = md(
      '---\ntitle: Parts\n---\n# View {kind=commentary}\n## Sub\nOpinion here.\n# Report\nFacts here.\n',
    );
    expect(article?.sentences.map((s) => [s.text, s.kind, s.section])).toEqual([
      ['Opinion here.', 'commentary', 'Sub'],
      ['Facts here.', 'news', 'Report'],
    ]);
  });

  it('makes a whole article commentary from its front matter', () => {
    const { article } = md('---\ntitle: Column\nkind: commentary\n---\nI think so.\n');
    expect(article?.sentences[0]?.kind).toBe('commentary');
  });

  it('takes the first level-1 heading as the title when there is no front matter', () => {
    const { article } = md('# Plain title\n\nBody sentence.\n');
    expect(article?.title).toBe('Plain title');
    expect(article?.sentences.map((s) => [s.text, s.line, s.section])).toEqual([['Body sentence.', 3, null]]);
  });
});
