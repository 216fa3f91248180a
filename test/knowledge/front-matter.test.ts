/**
 * Front matter written as plain `field: value` lines is read without the
 * YAML parser; these tests hold that reading to what YAML makes of the
 * same lines. A space at the end of a line is nothing to YAML (in a
 * document it can read) but keeps the simple reading from taking the line,
 * so each front matter is read both with and without one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { readFrontMatter } from '../../src/knowledge/front-matter.js';
import { fuzzRuns } from '../helpers/fuzz-size.js';

/** The front matter as read, and as YAML reads it (the first line ending in a space). */
function bothWays(lines: readonly string[]) {
  const text = (ls: readonly string[]) => `---\n${ls.join('\n')}\n---\nBody.\n`;
  const { frontMatter, problems } = readFrontMatter(text(lines));
  const parsed = readFrontMatter(text(lines.map((l, i) => (i === 0 ? `${l} ` : l))));
  return {
    read: { frontMatter, problems },
    parsed: { frontMatter: parsed.frontMatter, problems: parsed.problems },
  };
}

const char = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'Z', '7', ' ', 'é', '’') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(' #', ': ', ':', '#', ',', '[', ']', '{', '-', '.', '/', '"', "'", '\\'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '&',
      '*',
      '!',
      '|',
      '>',
      '%',
      '@',
      '`',
      '\t',
      '\u0085',
      '\u2028',
      '\ufeff',
      '\u0001',
    ),
  },
);
const chars = fc.array(char, { maxLength: 10 }).map((cs) => cs.join(''));
// Values YAML reads the same with a space after them: no quote left open, no colon at the end, and no
// indicator (quote, flow bracket, block scalar, anchor, tag…) opening a plain one.
const value = fc.oneof(
  fc
    .tuple(fc.constantFrom('a', 'Z', '7', 'é', '’'), chars)
    .map(([first, rest]) => first + rest)
    .filter((v) => !v.endsWith(':')),
  chars.filter((v) => !v.includes('"') && !v.endsWith('\\')).map((v) => `"${v}"`),
  chars.filter((v) => !v.includes("'")).map((v) => `'${v}'`),
  fc.constantFrom(
    'news',
    'commentary',
    'opinion',
    '2025-05-16',
    '2025-13-45',
    'https://example.com/story',
    'ftp://example.com',
    'null',
    'Null',
    'NULL',
    'true',
    'True',
    'TRUE',
    'false',
    'False',
    'FALSE',
    'yes',
    '~',
    '12',
    '1e3',
    '.inf',
    'Talks resume in Geneva',
  ),
);
const field = fc.constantFrom('title', 'url', 'published', 'source', 'kind', 'author');
const line = fc.tuple(field, fc.constantFrom(': ', ':  '), value).map(([f, sep, v]) => `${f}${sep}${v}`);

describe('readFrontMatter', () => {
  it('reads simple field lines as YAML does', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        // A space at the end of a line YAML cannot read may change what it reports.
        fc.pre(parseDocument(`${lines.join('\n')}\n`, { uniqueKeys: true }).errors.length === 0);
        const { read, parsed } = bothWays(lines);
        expect(read).toEqual(parsed);
      }),
      { numRuns: fuzzRuns({ quick: 300, full: 3000 }) },
    );
  });

  it('reports every field line YAML cannot read', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) => {
        fc.pre(parseDocument(`${lines.join('\n')}\n`, { uniqueKeys: true }).errors.length > 0);
        const { problems } = readFrontMatter(`---\n${lines.join('\n')}\n---\nBody.\n`);
        expect(problems).toContainEqual(
          expect.objectContaining({ severity: 'error', message: expect.stringContaining('not valid YAML') }),
        );
      }),
      { numRuns: fuzzRuns({ quick: 100, full: 1000 }) },
    );
  });

  it('names the line of an alias to an anchor never set, instead of failing', () => {
    const { frontMatter, problems } = readFrontMatter('---\nkind: news\ntitle: *missing\n---\nBody.\n');
    expect(frontMatter.title).toBeNull();
    expect(problems).toEqual([
      {
        line: 3,
        message: expect.stringMatching(/^front matter is not valid YAML: Unresolved alias/),
        severity: 'error',
      },
    ]);
  });

  it('reads typical front matter without surprises', () => {
    const { read, parsed } = bothWays([
      'title: "Grain corridor talks resume in Geneva"',
      'url: https://example.com/grain',
      'published: 2025-05-16',
      'source: Example News',
      'kind: news',
    ]);
    expect(read).toEqual(parsed);
    expect(read).toEqual({
      frontMatter: {
        title: 'Grain corridor talks resume in Geneva',
        url: 'https://example.com/grain',
        published: '2025-05-16',
        source: 'Example News',
        kind: 'news',
        aliases: [],
      },
      problems: [],
    });
  });
});

describe('aliases', () => {
  const read = (lines: readonly string[]) => readFrontMatter(`---\n${lines.join('\n')}\n---\nBody.\n`);

  it('reads groups of spellings, in flow or block lists', () => {
    const { frontMatter, problems } = read([
      'title: Talks',
      'aliases:',
      '  - [Zelenskyy, Zelensky]',
      '  - - Umerov',
      '    - Umierov',
    ]);
    expect(problems).toEqual([]);
    expect(frontMatter.aliases).toEqual([
      ['Zelenskyy', 'Zelensky'],
      ['Umerov', 'Umierov'],
    ]);
  });

  it('names the line and the group of a spelling that is not one word', () => {
    const { problems } = read([
      'title: Talks',
      'aliases:',
      '  - [Zelenskyy, Zelensky]',
      '  - [Rustem Umerov, Umierov]',
    ]);
    expect(problems).toEqual([
      {
        line: 5,
        message: expect.stringMatching(
          /^front matter field "aliases" \(group 2, spelling 1\) must hold single words/,
        ),
        severity: 'error',
      },
    ]);
  });

  it('refuses a group of one spelling, and a list of words instead of a list of groups', () => {
    expect(read(['title: Talks', 'aliases:', '  - [Zelenskyy]']).problems).toEqual([
      {
        line: 4,
        message: 'front matter field "aliases" (group 1) must list at least two spellings in each group',
        severity: 'error',
      },
    ]);
    expect(read(['title: Talks', 'aliases: [Zelenskyy, Zelensky]']).problems[0]?.message).toMatch(
      /^front matter field "aliases" \(group 1\) must be a list of lists/,
    );
  });
});
