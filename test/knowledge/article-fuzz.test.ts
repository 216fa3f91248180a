/**
 * Folders of generated broken and odd articles, next to two good ones:
 * front matter cut off, of the wrong types or not YAML at all, huge lines,
 * binary bytes, CRLF and CR line endings, a byte order mark, empty sections,
 * titles shared between files, files cut short, files that are not articles.
 * Loading never throws; every file is either served or named by a problem
 * (with a line inside the file); a file with an error is not served; and the
 * good articles still answer their questions.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { fuzzRuns } from '../helpers/fuzz-size.js';

/** Folders loaded per run, and generated files per folder (at full size, at least 1,000 files in all). */
const RUNS = fuzzRuns({ quick: 3, full: 25 });
const FILES_PER_FOLDER = { minLength: 40, maxLength: 60 };

const root = mkdtempSync(path.join(tmpdir(), 'article-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Good articles, first by name, with a question each and the sentence that answers it. */
const GOOD = [
  {
    name: '00-good-accord.md',
    text: '---\ntitle: Zephyr valley water accord\npublished: 2025-05-17\n---\n\n## Terms\n\nThe Zephyr valley accord shares the river water equally between Lorvania and Quessa.\n',
    question: 'How does the Zephyr valley accord share the river water?',
    sentence: 'The Zephyr valley accord shares the river water equally between Lorvania and Quessa.',
  },
  {
    name: '00-good-bridge.txt',
    text: 'Quessa reopens the Marrow bridge\nThe Marrow bridge reopened to traffic on Tuesday.\n\nRepairs\nEngineers replaced the cables of the Marrow bridge over six weeks.\n',
    question: 'Who replaced the cables of the Marrow bridge?',
    sentence: 'Engineers replaced the cables of the Marrow bridge over six weeks.',
  },
];

/** Titles: often from a small pool (so files share them, one a good article's), otherwise their own. */
const title = fc.oneof(
  fc.constantFrom('Alpha report', 'Beta report', 'Zephyr valley water accord'),
  fc.lorem({ maxCount: 5, mode: 'words' }),
);

const frontMatterLine = fc.oneof(
  title.map((t) => `title: ${t}`),
  fc.constantFrom(
    'title: ""',
    'title: [1, 2]',
    'title: {a: 1}',
    'title: 42',
    'title: null',
    'title: "unclosed',
    "title: 'unclosed",
    'title: Alpha report\ntitle: Beta report',
    'published: 2025-05-17',
    'published: yesterday',
    'published: 2025-13-45',
    'published: [2025]',
    'url: https://news.example/a',
    'url: javascript:alert(1)',
    'url: 12',
    'kind: commentary',
    'kind: opinion',
    'kind: [news]',
    'source: ',
    'unknown: field',
    '\ttitle: tabbed',
    ':',
    '- a list item',
    '{[',
    '&anchor x',
    '*alias',
    '!!binary AAAA',
    '? complex key',
  ),
  fc.string({ maxLength: 30 }),
);

/** Front matter: a title and odd fields, none, any lines, never closed, or empty. */
const frontMatter = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(title, fc.array(frontMatterLine, { maxLength: 2 }))
      .map(([t, lines]) => ['---', `title: ${t}`, ...lines, '---', ''].join('\n')),
  },
  fc.constant(''),
  fc.array(frontMatterLine, { maxLength: 6 }).map((lines) => ['---', ...lines, '---', ''].join('\n')),
  fc.array(frontMatterLine, { maxLength: 6 }).map((lines) => ['---', ...lines, ''].join('\n')),
  fc.constantFrom('---\n---\n', '---\n...\n', '---'),
);

const bodyLine = fc.oneof(
  { weight: 4, arbitrary: fc.lorem({ maxCount: 3, mode: 'sentences' }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '## Section',
      '##',
      '## ',
      '# A heading',
      '- A key point.',
      '* item',
      '1. numbered',
      '```',
      '```js',
      '<div>html</div>',
      '<!-- comment',
      '| a | b |',
      '> quote',
      '---',
      '***',
      '[link](http://x)',
      '![image](x.png)',
      '',
      '',
    ),
  },
  { weight: 1, arbitrary: title },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  // A huge line: a whole article pasted without line breaks, or a minified blob.
  {
    weight: 1,
    arbitrary: fc.integer({ min: 20_000, max: 200_000 }).map((n) => 'Words without end. '.repeat(n / 19)),
  },
);

/** One generated file: its bytes, and the folder and extension its name gets. */
interface FuzzFile {
  bytes: Uint8Array;
  /** `nested/.md`, `.txt`, … */
  suffix: string;
}

const encoder = new TextEncoder();

/** A value one time in ten, null otherwise. */
function sometimes<T>(value: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: value });
}

/** A file built from front matter and body lines, then damaged: line endings, BOM, stray bytes, cut short. */
const fuzzFile = fc
  .record({
    frontMatter,
    body: fc.array(bodyLine, { maxLength: 25 }),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    bom: fc.boolean(),
    stray: sometimes(fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.nat())),
    cut: sometimes(fc.nat()),
    extension: fc.oneof(
      { weight: 10, arbitrary: fc.constantFrom('.md', '.md', '.markdown', '.txt') },
      { weight: 1, arbitrary: fc.constantFrom('.json', '') },
    ),
    folder: fc.constantFrom('', '', '', 'nested/', '.hidden/'),
  })
  .map(({ frontMatter, body, eol, bom, stray, cut, extension, folder }): FuzzFile => {
    let bytes = encoder.encode(`${bom ? '\ufeff' : ''}${frontMatter}${body.join('\n')}`.replace(/\n/g, eol));
    if (stray) {
      const [junk, at] = stray;
      const i = at % (bytes.length + 1);
      bytes = Uint8Array.from([...bytes.subarray(0, i), ...junk, ...bytes.subarray(i)]);
    }
    if (cut !== null) bytes = bytes.subarray(0, cut % (bytes.length + 1));
    return { bytes, suffix: `${folder}${extension}` };
  });

/** Writes the good articles and generated files into a new folder; returns it and each file's display path. */
function writeFolder(run: number, files: FuzzFile[]): { dir: string; written: Map<string, Uint8Array> } {
  const dir = path.join(root, `run-${run}`, 'knowledge');
  const written = new Map<string, Uint8Array>();
  const put = (name: string, bytes: Uint8Array) => {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
    written.set(`knowledge/${name}`, bytes);
  };
  for (const good of GOOD) put(good.name, encoder.encode(good.text));
  files.forEach(({ bytes, suffix }, i) => {
    const slash = suffix.lastIndexOf('/');
    put(`${suffix.slice(0, slash + 1)}f-${String(i).padStart(3, '0')}${suffix.slice(slash + 1)}`, bytes);
  });
  return { dir, written };
}

/** Lines of a file as an editor counts them (any line ending). */
function lineCount(bytes: Uint8Array): number {
  return new TextDecoder().decode(bytes).split(/\r\n|\r|\n/).length;
}

describe('generated broken and odd articles', () => {
  it(`load without throwing, every file served or named by a problem, good articles still answering (${RUNS} folders)`, async () => {
    let run = 0;
    let filesTried = 0;
    let served = 0;
    let problems = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzFile, FILES_PER_FOLDER), async (files) => {
        const { dir, written } = writeFolder(run++, files);
        filesTried += files.length;
        const kb = await KnowledgeBase.load(dir);
        served += kb.articles.length - GOOD.length;
        problems += kb.problems.length;
        const named = new Set(kb.problems.map((p) => p.file));
        const withError = new Set(kb.problems.filter((p) => p.severity === 'error').map((p) => p.file));
        for (const p of kb.problems) {
          const bytes = written.get(p.file);
          expect(bytes, `problem names a file that was not written: ${p.file}`).toBeDefined();
          expect(
            Number.isInteger(p.line) && p.line >= 0 && p.line <= lineCount(bytes ?? new Uint8Array()),
          ).toBe(true);
          expect(p.message.length).toBeGreaterThan(10);
          expect(['error', 'warning']).toContain(p.severity);
        }
        const servedFiles = new Set(kb.articles.map((a) => a.file));
        for (const file of written.keys()) {
          // Hidden folders are skipped on purpose, as hidden files are.
          if (file.includes('/.')) continue;
          expect(servedFiles.has(file) || named.has(file), `${file} was neither served nor named`).toBe(true);
          if (withError.has(file))
            expect(servedFiles.has(file), `${file} is served despite an error`).toBe(false);
        }
        for (const good of GOOD) {
          expect(servedFiles.has(`knowledge/${good.name}`)).toBe(true);
          const facts = kb.answer(good.question, { limit: 5 }).facts.map((f) => f.text);
          expect(facts).toContain(good.sentence);
        }
      }),
      { numRuns: RUNS },
    );
    console.info(
      `article-fuzz: ${filesTried} generated files, ${served} served, ${problems} problems reported`,
    );
    expect(filesTried).toBeGreaterThanOrEqual(RUNS * FILES_PER_FOLDER.minLength);
  });
});
