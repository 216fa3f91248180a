/**
 * Markdown articles: YAML front matter, then headings (`#`…`######`),
 * paragraphs and list items. A heading may set the kind of what follows it
 * with an attribute: `# Commentary {kind=commentary}`. Inline markup (links,
 * emphasis, code) is reduced to its text, since facts are quoted as text.
 */

import { KINDS, type Kind } from '../article.js';
import type { Block } from './blocks.js';
import type { ParsedArticle } from './build-article.js';
import { type LineProblem, readFrontMatter } from './front-matter.js';

const HEADING = /^(#{1,6})[ \t]+(.*?)[ \t#]*$/;
const ATTRIBUTES = /[ \t]*\{([^}]*)\}[ \t]*$/;
const LIST_ITEM = /^[ \t]{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const FENCE = /^[ \t]{0,3}(```|~~~)/;
const RULE = /^[ \t]{0,3}([-*_])([ \t]*\1){2,}[ \t]*$/;

/** Parses a Markdown article's text (already decoded, `\n` line endings). */
export function parseMarkdown(text: string): ParsedArticle {
  const { frontMatter, body, bodyLine, problems } = readFrontMatter(text);
  const blocks: Block[] = [];
  let title = frontMatter.title;
  let titleLine = 1;
  let paragraph: { lines: string[]; line: number } | null = null;
  let inFence = false;
  let inComment = false;

  const flush = () => {
    if (paragraph)
      blocks.push({ type: 'paragraph', text: inlineText(paragraph.lines.join('\n')), line: paragraph.line });
    paragraph = null;
  };

  const lines = body.split('\n');
  lines.forEach((raw, i) => {
    const line = bodyLine + i;
    if (inComment) {
      if (raw.includes('-->')) inComment = false;
      return;
    }
    if (FENCE.test(raw)) {
      flush();
      inFence = !inFence;
      return;
    }
    if (inFence) return;
    if (/^[ \t]*<!--/.test(raw)) {
      flush();
      inComment = !raw.includes('-->');
      return;
    }
    if (!raw.trim() || RULE.test(raw) || /^[ \t]*\|/.test(raw)) {
      flush();
      return;
    }
    const heading = HEADING.exec(raw);
    if (heading) {
      flush();
      const { text: headingText, kind } = headingAttributes(heading[2] ?? '', line, problems);
      const level = heading[1]?.length ?? 1;
      // Without front matter, a document's first level-1 heading is its title.
      if (!title && level === 1 && blocks.length === 0) {
        title = inlineText(headingText);
        titleLine = line;
        return;
      }
      blocks.push({ type: 'heading', text: inlineText(headingText), line, level, ...(kind ? { kind } : {}) });
      return;
    }
    const item = LIST_ITEM.exec(raw);
    if (item) {
      flush();
      paragraph = { lines: [item[1] ?? ''], line };
      return;
    }
    const content = raw.replace(/^[ \t]*>[ \t]?/, '').trim();
    if (paragraph) paragraph.lines.push(content);
    else paragraph = { lines: [content], line };
  });
  flush();
  return { ...frontMatter, title, titleLine, blocks, problems };
}

function headingAttributes(
  text: string,
  line: number,
  problems: LineProblem[],
): { text: string; kind?: Kind } {
  const attrs = ATTRIBUTES.exec(text);
  if (!attrs) return { text };
  const bare = text.slice(0, attrs.index);
  const kindAttr = /(?:^|\s)kind=["']?([^\s"']+)/.exec(attrs[1] ?? '');
  if (!kindAttr) return { text: bare };
  const value = kindAttr[1] ?? '';
  if ((KINDS as readonly string[]).includes(value)) return { text: bare, kind: value as Kind };
  problems.push({
    line,
    message: `unknown kind "${value}" on heading: use {kind=${KINDS.join('} or {kind=')}}`,
    severity: 'error',
  });
  return { text: bare };
}

/**
 * Reduces inline Markdown to plain text: links to their text, emphasis and
 * code to their content. Each pattern runs only on text that holds its
 * marker, which most paragraphs do not.
 */
function inlineText(text: string): string {
  let out = text;
  if (out.includes('[')) out = out.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
  if (out.includes('`')) out = out.replace(/`([^`]*)`/g, '$1');
  if (out.includes('**') || out.includes('__')) out = out.replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2');
  if (out.includes('*')) out = out.replace(/(^|[^\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)/g, '$1$2');
  if (out.includes('_')) out = out.replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1$2');
  // Only real tags go: "x < 5 and y > 2" is text.
  if (out.includes('<')) out = out.replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, '');
  return out.trim();
}
