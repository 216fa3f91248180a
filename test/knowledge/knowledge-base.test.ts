/**
 * Reloading a knowledge folder: added, edited, broken and deleted articles,
 * a vanished or emptied folder, and an unreadable file, with the answers a
 * reader would get before and after.
 */
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import type { KnowledgeLogger } from '../../src/knowledge/watch-knowledge.js';

// Lets a test make one file unreadable (permissions do not stop root, which CI runs as).
const unreadable = new Set<string>();
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = ((file: Parameters<typeof fs.openSync>[0], ...rest: unknown[]) => {
    if (unreadable.has(String(file))) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
    return (fs.openSync as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync;
  return { ...fs, openSync, default: { ...fs, openSync } };
});

let root: string;
let dir: string;
let logger: KnowledgeLogger & { lines: string[] };

const article = (title: string, body: string) => `---\ntitle: ${title}\n---\n\n${body}\n`;
const LIGHTHOUSE = article(
  'Lighthouse restored on the northern cape',
  'The old lighthouse on the northern cape was restored by volunteers in April.',
);
const FERRY = article('Ferry timetable changes', 'The island ferry will run every two hours from June.');

function write(name: string, text: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  // Editors and copies can land within one timestamp tick; a reload compares stamps, so move it on.
  const later = new Date(Date.now() + 2000 + Math.random() * 1000);
  utimesSync(file, later, later);
}

const firstFact = (kb: KnowledgeBase, question: string) => kb.answer(question).facts[0]?.text;

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'reload-'));
  dir = path.join(root, 'knowledge');
  mkdirSync(dir);
  cpSync(new URL('../fixtures/articles', import.meta.url), dir, { recursive: true });
  const lines: string[] = [];
  logger = {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
  unreadable.clear();
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('KnowledgeBase.reload', () => {
  it('serves an added article, and says so', async () => {
    const kb = await KnowledgeBase.load(dir);
    expect(kb.answer('Who restored the lighthouse?').facts).toEqual([]);
    write('lighthouse.md', LIGHTHOUSE);
    const report = await kb.reload(logger);
    expect(report).toMatchObject({ changed: true, added: ['knowledge/lighthouse.md'] });
    expect(firstFact(kb, 'Who restored the lighthouse?')).toBe(
      'The old lighthouse on the northern cape was restored by volunteers in April.',
    );
    expect(logger.lines.join('\n')).toMatch(/info Reloaded .*1 added; now 3 article\(s\)/);
  });

  it('serves the new text of an edited article and no longer the old one', async () => {
    write('lighthouse.md', LIGHTHOUSE);
    const kb = await KnowledgeBase.load(dir);
    write(
      'lighthouse.md',
      article('Lighthouse restored on the northern cape', 'The keeper lit the lamp again on Sunday.'),
    );
    expect((await kb.reload(logger)).updated).toEqual(['knowledge/lighthouse.md']);
    expect(firstFact(kb, 'When was the lamp lit again?')).toBe('The keeper lit the lamp again on Sunday.');
    expect(kb.answer('Who restored the lighthouse volunteers?').facts.map((f) => f.text)).not.toContain(
      'The old lighthouse on the northern cape was restored by volunteers in April.',
    );
  });

  it('keeps the last good version of an article that became invalid, and logs its file and line', async () => {
    write('lighthouse.md', LIGHTHOUSE);
    const kb = await KnowledgeBase.load(dir);
    write('lighthouse.md', '---\ntitle: Lighthouse\nkind: rumour\n---\n\nThe lamp is broken.\n');
    const report = await kb.reload(logger);
    expect(report).toMatchObject({ changed: false, failed: ['knowledge/lighthouse.md'] });
    expect(firstFact(kb, 'Who restored the lighthouse?')).toMatch(/restored by volunteers/);
    expect(kb.answer('Is the lamp broken?').facts.map((f) => f.text)).not.toContain('The lamp is broken.');
    expect(logger.lines).toContainEqual(
      expect.stringMatching(
        /^warn knowledge\/lighthouse\.md:3: .*kind.* \(its last good version stays in service\)$/,
      ),
    );
    expect(kb.problems).toContainEqual(expect.objectContaining({ file: 'knowledge/lighthouse.md', line: 3 }));

    // Fixed again: the new version replaces the old one and the problem goes away.
    write(
      'lighthouse.md',
      article('Lighthouse restored on the northern cape', 'The lamp was repaired on Friday.'),
    );
    expect((await kb.reload(logger)).updated).toEqual(['knowledge/lighthouse.md']);
    expect(firstFact(kb, 'When was the lamp repaired?')).toBe('The lamp was repaired on Friday.');
    expect(kb.problems).toEqual([]);
  });

  it('does not serve a new file that is invalid, and reports it', async () => {
    const kb = await KnowledgeBase.load(dir);
    write('broken.md', '---\ntitle: Never closed\nThe lamp is broken.\n');
    expect((await kb.reload(logger)).failed).toEqual(['knowledge/broken.md']);
    expect(kb.articles).toHaveLength(2);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warn knowledge\/broken\.md:1: .*\(it is not served\)$/),
    );
  });

  it('stops serving a deleted article', async () => {
    write('lighthouse.md', LIGHTHOUSE);
    write('ferry.md', FERRY);
    const kb = await KnowledgeBase.load(dir);
    rmSync(path.join(dir, 'lighthouse.md'));
    expect((await kb.reload(logger)).removed).toEqual(['knowledge/lighthouse.md']);
    expect(kb.answer('Who restored the lighthouse?').facts).toEqual([]);
    expect(firstFact(kb, 'How often does the ferry run?')).toMatch(/every two hours/);
  });

  it('treats a rename as one article removed and one added', async () => {
    write('lighthouse.md', LIGHTHOUSE);
    const kb = await KnowledgeBase.load(dir);
    mkdirSync(path.join(dir, 'coast'));
    renameSync(path.join(dir, 'lighthouse.md'), path.join(dir, 'coast', 'lighthouse.md'));
    const report = await kb.reload(logger);
    expect(report).toMatchObject({
      added: ['knowledge/coast/lighthouse.md'],
      removed: ['knowledge/lighthouse.md'],
    });
    expect(kb.answer('Who restored the lighthouse?').facts[0]?.sources[0]?.file).toBe(
      'knowledge/coast/lighthouse.md',
    );
  });

  it('keeps everything in service when the folder vanishes, and picks it up again when it is back', async () => {
    write('lighthouse.md', LIGHTHOUSE);
    const kb = await KnowledgeBase.load(dir);
    const aside = path.join(root, 'aside');
    renameSync(dir, aside);
    expect((await kb.reload(logger)).changed).toBe(false);
    expect(kb.articles).toHaveLength(3);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warn Knowledge folder .* cannot be read: still serving the 3 article/),
    );
    renameSync(aside, dir);
    write('ferry.md', FERRY);
    expect((await kb.reload(logger)).added).toEqual(['knowledge/ferry.md']);
    expect(kb.articles).toHaveLength(4);
  });

  it('keeps everything in service when every article disappears at once', async () => {
    const kb = await KnowledgeBase.load(dir);
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    expect((await kb.reload(logger)).changed).toBe(false);
    expect(kb.articles).toHaveLength(2);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warn Knowledge folder .* has no articles now/),
    );
  });

  it('keeps the last good version of a file that cannot be read', async () => {
    write('lighthouse.md', LIGHTHOUSE);
    const kb = await KnowledgeBase.load(dir);
    const file = path.join(dir, 'lighthouse.md');
    unreadable.add(file);
    write('lighthouse.md', article('Lighthouse restored on the northern cape', 'Changed while unreadable.'));
    expect((await kb.reload(logger)).failed).toEqual(['knowledge/lighthouse.md']);
    expect(firstFact(kb, 'Who restored the lighthouse?')).toMatch(/restored by volunteers/);
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warn knowledge\/lighthouse\.md: file cannot be read \(EACCES\)/),
    );
    unreadable.clear();
    write('lighthouse.md', article('Lighthouse restored on the northern cape', 'Readable again on Monday.'));
    expect((await kb.reload(logger)).updated).toEqual(['knowledge/lighthouse.md']);
  });

  it('rereads nothing and swaps nothing when nothing changed', async () => {
    const kb = await KnowledgeBase.load(dir);
    const before = kb.articles;
    expect(await kb.reload(logger)).toEqual({
      changed: false,
      added: [],
      updated: [],
      removed: [],
      failed: [],
    });
    expect(kb.articles).toBe(before);
  });

  it('runs reloads asked for during another one after it, never at the same time', async () => {
    const kb = await KnowledgeBase.load(dir);
    write('lighthouse.md', LIGHTHOUSE);
    const first = kb.reload(logger);
    const second = kb.reload(logger);
    write('ferry.md', FERRY);
    const third = kb.reload(logger);
    expect(second).toBe(third);
    const reports = await Promise.all([first, second]);
    expect(reports.flatMap((r) => r.added).sort()).toEqual(['knowledge/ferry.md', 'knowledge/lighthouse.md']);
    expect(kb.articles).toHaveLength(4);
  });

  it('rereads only the files a change names, unless it may concern anything', async () => {
    write('lighthouse.md', LIGHTHOUSE);
    write('ferry.md', FERRY);
    const kb = await KnowledgeBase.load(dir);
    write(
      'lighthouse.md',
      article('Lighthouse restored on the northern cape', 'The lamp was repaired on Friday.'),
    );
    write('ferry.md', article('Ferry timetable changes', 'The ferry will run every hour from July.'));
    const named = { paths: [path.join(dir, 'ferry.md')], full: false };
    expect(await kb.reload(logger, named)).toMatchObject({ updated: ['knowledge/ferry.md'] });
    expect(firstFact(kb, 'When was the lamp repaired?')).toBeUndefined();
    expect(await kb.reload(logger, { paths: [], full: true })).toMatchObject({
      updated: ['knowledge/lighthouse.md'],
    });
    expect(firstFact(kb, 'When was the lamp repaired?')).toBe('The lamp was repaired on Friday.');
    rmSync(path.join(dir, 'ferry.md'));
    expect((await kb.reload(logger, named)).removed).toEqual(['knowledge/ferry.md']);
  });

  it('cannot reload knowledge that was not loaded from a folder', async () => {
    const kb = new KnowledgeBase({ articles: [], problems: [] });
    await expect(kb.reload()).rejects.toThrow(/not loaded from a folder/);
  });
});
