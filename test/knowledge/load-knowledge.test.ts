import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';

let root: string;
let dir: string;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'knowledge-'));
  dir = path.join(root, 'knowledge');
  mkdirSync(dir);
  cpSync(new URL('../fixtures/articles', import.meta.url), dir, { recursive: true });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const write = (name: string, content: string | Uint8Array) => writeFileSync(path.join(dir, name), content);

/** Loads the folder and returns the problems of one file, plus the titles that loaded. */
async function load(file?: string) {
  const { articles, problems } = await loadKnowledge(dir);
  return {
    titles: articles.map((a) => a.title).sort(),
    problems: problems.filter((p) => file === undefined || p.file === `knowledge/${file}`),
  };
}

const GOOD = ['Dock workers end strike at Odesa harbor', 'Grain corridor talks resume in Geneva'];

describe('loadKnowledge', () => {
  it('reads Markdown and text articles from subfolders, with paths relative to the folder’s parent', async () => {
    const { articles, problems } = await loadKnowledge(dir);
    expect(problems).toEqual([]);
    expect(articles.map((a) => a.file).sort()).toEqual([
      'knowledge/grain-corridor.md',
      'knowledge/regional/harbor-strike.txt',
    ]);
  });

  it.each([
    ['unclosed front matter', 'bad.md', '---\ntitle: Never closed\nBody.\n', 1, /never closed/],
    ['invalid YAML', 'bad.md', '---\ntitle: Fine\nurl: [unclosed\n---\nBody.\n', 3, /not valid YAML/],
    [
      'an unknown kind',
      'bad.md',
      '---\ntitle: Kinds\nkind: rumour\n---\nBody.\n',
      3,
      /"kind" must be one of: news, commentary/,
    ],
    [
      'an unknown heading kind',
      'bad.md',
      '---\ntitle: Kinds\n---\n# Part {kind=gossip}\nBody.\n',
      4,
      /unknown kind "gossip"/,
    ],
    [
      'a bad date',
      'bad.md',
      '---\ntitle: Dates\npublished: last week\n---\nBody.\n',
      3,
      /"published" must be a date/,
    ],
    [
      'a bad link',
      'bad.md',
      '---\ntitle: Links\nurl: ftp://x\n---\nBody.\n',
      3,
      /"url" must be an http\(s\) link/,
    ],
    ['a missing title', 'bad.md', '---\nkind: news\n---\nBody.\n', 1, /no title/],
    ['an empty article', 'empty.md', '---\ntitle: Nothing here\n---\n\n', 1, /no sentences/],
    ['an empty text file', 'empty.txt', '', 1, /no title/],
    [
      'invalid UTF-8',
      'latin1.txt',
      Buffer.from('Title\nGood line.\nBad \xe9 byte.\n', 'latin1'),
      3,
      /not valid UTF-8/,
    ],
    ['a binary file', 'image.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0a, 0x00, 0x01]), 2, /binary/],
  ])(
    'reports %s with its file and line, and still loads the rest',
    async (_case, name, content, line, message) => {
      write(name, content);
      const { titles, problems } = await load(name);
      expect(problems).toEqual([
        expect.objectContaining({
          file: `knowledge/${name}`,
          line,
          severity: 'error',
          message: expect.stringMatching(message),
        }),
      ]);
      expect(titles).toEqual(GOOD);
    },
  );

  it('keeps the first of two articles with the same title and names both files', async () => {
    write('zz-copy.md', '---\ntitle: Grain corridor talks resume in Geneva\n---\nA copy.\n');
    const { titles, problems } = await load('zz-copy.md');
    expect(titles).toEqual(GOOD);
    expect(problems).toEqual([
      expect.objectContaining({
        line: 1,
        severity: 'error',
        message: expect.stringContaining('knowledge/grain-corridor.md'),
      }),
    ]);
  });

  it('warns about unknown front matter fields but serves the article', async () => {
    write('extra.md', '---\ntitle: Extra fields\nauthor: Someone\n---\nStill served.\n');
    const { titles, problems } = await load('extra.md');
    expect(titles).toContain('Extra fields');
    expect(problems).toEqual([
      expect.objectContaining({ line: 3, severity: 'warning', message: expect.stringContaining('"author"') }),
    ]);
  });

  it('warns about files that are not articles and ignores hidden files', async () => {
    write('notes.pdf', 'x');
    write('.DS_Store', 'x');
    const { problems } = await load();
    expect(problems).toEqual([expect.objectContaining({ file: 'knowledge/notes.pdf', severity: 'warning' })]);
  });

  it('refuses files over the size limit without reading them whole', async () => {
    write('huge.txt', Buffer.alloc(6 * 1024 * 1024, 'a'));
    const { problems, titles } = await load('huge.txt');
    expect(problems).toEqual([
      expect.objectContaining({ line: 1, message: expect.stringMatching(/over the .*limit/) }),
    ]);
    expect(titles).toEqual(GOOD);
  });

  it('reports a missing folder as a problem instead of throwing', async () => {
    const { articles, problems } = await loadKnowledge(path.join(root, 'nowhere'));
    expect(articles).toEqual([]);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'nowhere', message: expect.stringContaining('cannot be read') }),
    ]);
  });
});
