/**
 * Reads a knowledge folder (and its subfolders) into articles. A bad file
 * never stops the load: it becomes a problem naming the file, the line and
 * what to fix, and every other file still loads.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type BuildResult, buildArticle } from './build-article.js';
import { lineAt } from './front-matter.js';
import { parseMarkdown } from './parse-markdown.js';
import { parseText } from './parse-text.js';
import type { Article, Knowledge, KnowledgeProblem } from './types.js';

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
    return fail(
      1,
      `file is ${bytes.length} bytes, over the ${MAX_ARTICLE_BYTES}-byte limit: split it into smaller articles`,
    );
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
  text = text.replace(/\r\n?/g, '\n');
  const format = ARTICLE_EXTENSIONS[path.extname(file).toLowerCase()] ?? 'text';
  const parsed = format === 'markdown' ? parseMarkdown(text) : parseText(text);
  return buildArticle(parsed, file, createHash('sha256').update(bytes).digest('hex').slice(0, 16));
}

/** Every file below `dir`, sorted, skipping hidden entries. Unreadable folders become problems. */
async function listFiles(dir: string, problems: KnowledgeProblem[], root: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    problems.push({
      file: displayPath(root, dir),
      line: 0,
      message: `folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check that it exists and is readable`,
      severity: 'error',
    });
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full, problems, root)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/** Reads and builds one article file; read failures become problems. */
export async function loadArticleFile(
  knowledgeDir: string,
  absolute: string,
): Promise<{ article: Article | null; problems: KnowledgeProblem[] }> {
  const file = displayPath(knowledgeDir, absolute);
  let bytes: Buffer;
  try {
    // Checked before reading, so a huge file is never held in memory.
    const { size } = await stat(absolute);
    if (size > MAX_ARTICLE_BYTES) {
      return { article: null, problems: [{ file, line: 1, message: tooLarge(size), severity: 'error' }] };
    }
    bytes = await readFile(absolute);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      article: null,
      problems: [
        { file, line: 0, message: `file cannot be read (${code}): check its permissions`, severity: 'error' },
      ],
    };
  }
  const result = articleFromBytes(bytes, file);
  return { article: result.article, problems: result.problems.map((p) => ({ file, ...p })) };
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
  const root = path.resolve(knowledgeDir);
  const problems: KnowledgeProblem[] = [];
  const files = await listFiles(root, problems, knowledgeDir);
  const articles: Article[] = [];
  for (const absolute of files) {
    if (!isArticlePath(absolute)) {
      problems.push({
        file: displayPath(knowledgeDir, absolute),
        line: 0,
        message: `not an article (only ${Object.keys(ARTICLE_EXTENSIONS).join(', ')} files are read): rename or move it`,
        severity: 'warning',
      });
      continue;
    }
    const result = await loadArticleFile(knowledgeDir, absolute);
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
