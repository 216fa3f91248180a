/**
 * Reads a knowledge folder (and its subfolders) into articles. A bad file
 * never stops the load: it becomes a problem naming the file, the line and
 * what to fix, and every other file still loads.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../article.js';
import { type BuildResult, buildArticle } from './build-article.js';
import { lineAt } from './front-matter.js';
import { parseMarkdown } from './parse-markdown.js';
import { parseText } from './parse-text.js';
import type { Knowledge, KnowledgeProblem } from './types.js';

/** File extensions read as articles, by format. */
export const ARTICLE_EXTENSIONS: Readonly<Record<string, 'markdown' | 'text'>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
};

/** Larger files are refused: no news article is this long, and one file must not exhaust memory. */
export const MAX_ARTICLE_BYTES = 5 * 1024 * 1024;

/** The path shown for a file: relative to the knowledge folder's parent, with `/` separators. */
export function displayPath(knowledgeDir: string, absolute: string): string {
  return path
    .relative(path.dirname(path.resolve(knowledgeDir)), absolute)
    .split(path.sep)
    .join('/');
}

/** Whether a path is an existing folder. */
export async function isFolder(dir: string): Promise<boolean> {
  try {
    return (await stat(dir)).isDirectory();
  } catch {
    return false;
  }
}

/** Whether a path is read as an article (by extension; hidden files never are). */
export function isArticlePath(file: string): boolean {
  return !path.basename(file).startsWith('.') && path.extname(file).toLowerCase() in ARTICLE_EXTENSIONS;
}

/**
 * Turns a file's bytes into an article. Pure: the caller reads the file.
 * `file` is the display path used in sentences and problems.
 */
export function articleFromBytes(bytes: Uint8Array, file: string): BuildResult {
  const fail = (line: number, message: string): BuildResult => ({
    article: null,
    problems: [{ line, message, severity: 'error' }],
  });
  if (bytes.length > MAX_ARTICLE_BYTES) {
    return fail(1, tooLarge(bytes.length));
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    return fail(
      lineOfByte(bytes, nul),
      'file is binary (it contains NUL bytes): only UTF-8 text articles can be read',
    );
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    return fail(lineAt(lossy, lossy.indexOf('\uFFFD')), 'file is not valid UTF-8: save it as UTF-8 text');
  }
  // The BOM is dropped by TextDecoder; CR line endings are normalised so line numbers match editors.
  if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
  const format = ARTICLE_EXTENSIONS[path.extname(file).toLowerCase()] ?? 'text';
  const parsed = format === 'markdown' ? parseMarkdown(text) : parseText(text);
  return buildArticle(parsed, file, createHash('sha256').update(bytes).digest('hex').slice(0, 16));
}

/** What listing a folder found: its files, and the problems with its subfolders. */
interface Listing {
  files: string[];
  problems: KnowledgeProblem[];
  unreadable: string[];
}

/**
 * Every file below `dir`, sorted, skipping hidden entries. Unreadable folders
 * become problems and are listed in `unreadable`. Subfolders are read at the
 * same time, and their results kept in order.
 */
async function listFiles(dir: string, root: string): Promise<Listing> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    return {
      files: [],
      unreadable: [dir],
      problems: [
        {
          file: displayPath(root, dir),
          line: 0,
          message: `folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check that it exists and is readable`,
          severity: 'error',
        },
      ],
    };
  }
  const sorted = entries
    .filter((entry) => !entry.name.startsWith('.') && (entry.isDirectory() || entry.isFile()))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const listings = await Promise.all(
    sorted.map((entry): Promise<Listing> | Listing =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), root)
        : { files: [path.join(dir, entry.name)], problems: [], unreadable: [] },
    ),
  );
  return {
    files: listings.flatMap((l) => l.files),
    problems: listings.flatMap((l) => l.problems),
    unreadable: listings.flatMap((l) => l.unreadable),
  };
}

/** When a file was last changed, as seen when it was read: a different stamp means read it again. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

/** One article file read: the article (null when it cannot be served), its problems, and its stamp. */
export interface LoadedFile {
  article: Article | null;
  problems: KnowledgeProblem[];
  /** Absent when the file could not be read. */
  stamp?: FileStamp;
  /** The error code when the file could not be read (ENOENT: it is gone). */
  readError?: string;
}

/**
 * Reads and builds one article file; read failures become problems. One
 * open, stat, read and close, without leaving the thread: loading a folder
 * waits for every file anyway, a promise per step cost more than the reads
 * themselves, and a reload reads only the few files that changed.
 */
export function loadArticleFile(knowledgeDir: string, absolute: string): LoadedFile {
  const file = displayPath(knowledgeDir, absolute);
  let stamp: FileStamp;
  let bytes: Buffer | null = null;
  let fd: number | null = null;
  try {
    fd = openSync(absolute, 'r');
    // Checked before reading, so a huge file is never held in memory.
    const { size, mtimeMs } = fstatSync(fd);
    stamp = { size, mtimeMs };
    if (size <= MAX_ARTICLE_BYTES) bytes = readAll(fd, size);
  } catch (error) {
    return unreadable(file, error);
  } finally {
    if (fd !== null) closeSync(fd);
  }
  return built(file, stamp, bytes);
}

/** Reads `size` bytes from the start of an open file (fewer if it shrank meanwhile). */
function readAll(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const n = readSync(fd, bytes, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return bytes.subarray(0, filled);
}

/** The article read from a file's bytes; null bytes mean the file is over the size limit. */
function built(file: string, stamp: FileStamp, bytes: Buffer | null): LoadedFile {
  if (!bytes)
    return {
      article: null,
      stamp,
      problems: [{ file, line: 1, message: tooLarge(stamp.size), severity: 'error' }],
    };
  const result = articleFromBytes(bytes, file);
  return { article: result.article, stamp, problems: result.problems.map((p) => ({ file, ...p })) };
}

function unreadable(file: string, error: unknown): LoadedFile {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return {
    article: null,
    readError: code,
    problems: [
      { file, line: 0, message: `file cannot be read (${code}): check its permissions`, severity: 'error' },
    ],
  };
}

/** Maps `items` through an async function with at most `limit` calls in flight; results keep their order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return results;
}

/**
 * The article files below a knowledge folder (absolute paths, sorted),
 * problems with what is not an article, and the folders that could not be
 * read (the folder itself, when it is missing).
 */
export async function listKnowledgeFiles(
  knowledgeDir: string,
): Promise<{ files: string[]; problems: KnowledgeProblem[]; unreadable: string[] }> {
  const listing = await listFiles(path.resolve(knowledgeDir), knowledgeDir);
  const { problems, unreadable } = listing;
  const files: string[] = [];
  for (const absolute of listing.files) {
    if (isArticlePath(absolute)) {
      files.push(absolute);
      continue;
    }
    problems.push({
      file: displayPath(knowledgeDir, absolute),
      line: 0,
      message: `not an article (only ${Object.keys(ARTICLE_EXTENSIONS).join(', ')} files are read): rename or move it`,
      severity: 'warning',
    });
  }
  return { files, problems, unreadable };
}

/**
 * Removes articles whose title (slug) repeats an earlier file's, keeping the
 * first by path, and reports each duplicate with both files named.
 */
export function dropDuplicates(articles: readonly Article[]): Knowledge {
  const seen = new Map<string, Article>();
  const kept: Article[] = [];
  const problems: KnowledgeProblem[] = [];
  for (const article of articles) {
    const first = seen.get(article.slug);
    if (first) {
      problems.push({
        file: article.file,
        line: 1,
        message: `article "${article.title}" has the same title as ${first.file}: give it a different title or remove one of them`,
        severity: 'error',
      });
      continue;
    }
    seen.set(article.slug, article);
    kept.push(article);
  }
  return { articles: kept, problems };
}

/** Loads every article below `knowledgeDir`. Never throws for bad content. */
export async function loadKnowledge(knowledgeDir: string): Promise<Knowledge> {
  const { files, problems } = await listKnowledgeFiles(knowledgeDir);
  const loaded = files.map((file) => loadArticleFile(knowledgeDir, file));
  const articles: Article[] = [];
  for (const result of loaded) {
    problems.push(...result.problems);
    if (result.article) articles.push(result.article);
  }
  const unique = dropDuplicates(articles);
  return { articles: unique.articles, problems: [...problems, ...unique.problems] };
}

function tooLarge(size: number): string {
  return `file is ${size} bytes, over the ${MAX_ARTICLE_BYTES}-byte limit: split it into smaller articles`;
}

function lineOfByte(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}
