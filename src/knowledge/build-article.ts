import type { Article, Kind } from '../article.js';
import { type Block, bodyFromBlocks } from './blocks.js';
import type { LineProblem } from './front-matter.js';

/** What a format parser found: metadata and blocks, before sentences are made. */
export interface ParsedArticle {
  title: string | null;
  /** Line to blame when the title is missing. */
  titleLine: number;
  url: string | null;
  published: string | null;
  source: string | null;
  kind: Kind;
  aliases: string[][];
  blocks: Block[];
  problems: LineProblem[];
}

/** Outcome of building one file: the article (unless an error prevents it) and every problem found. */
export interface BuildResult {
  article: Article | null;
  problems: LineProblem[];
}

/** A URL- and file-safe identifier for a title; two articles may not share one. */
export function slugify(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/** Turns a parsed file into an article, or explains why it cannot be one. */
export function buildArticle(parsed: ParsedArticle, file: string, hash: string): BuildResult {
  const problems = [...parsed.problems];
  if (problems.some((p) => p.severity === 'error')) return { article: null, problems };
  if (!parsed.title) {
    problems.push({
      line: parsed.titleLine,
      message: 'article has no title: add "title:" to the front matter',
      severity: 'error',
    });
    return { article: null, problems };
  }
  const context = {
    title: parsed.title,
    file,
    url: parsed.url,
    published: parsed.published,
    kind: parsed.kind,
  };
  const body = bodyFromBlocks(parsed.blocks, context);
  if (body.sentences.length === 0) {
    problems.push({
      line: parsed.titleLine,
      message: 'article has no sentences: add at least one paragraph of text below the title',
      severity: 'error',
    });
    return { article: null, problems };
  }
  return {
    article: {
      slug: slugify(parsed.title),
      title: parsed.title,
      file,
      url: parsed.url,
      published: parsed.published,
      source: parsed.source,
      kind: parsed.kind,
      aliases: parsed.aliases,
      ...body,
      hash,
    },
    problems,
  };
}
