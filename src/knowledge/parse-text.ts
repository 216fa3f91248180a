/**
 * Plain-text articles as they arrive from the wire (the seed is one):
 * - the first line is the title;
 * - the lines right under it, up to the first blank line, are its key points;
 * - a short line without closing punctuation, followed by a line that starts
 *   like a sentence, is a heading;
 * - every other line is a paragraph (a line that stops mid-sentence continues
 *   on the next one, so hard-wrapped text also reads right);
 * - a heading "Commentary", "Opinion" or "Editorial" makes the rest commentary.
 */
import { type Block, KEY_POINTS_HEADING } from './blocks.js';
import type { ParsedArticle } from './build-article.js';

const COMMENTARY_HEADINGS = new Set(['commentary', 'opinion', 'editorial', 'analysis and opinion']);
const CLOSING = /[.!?:;,\u2026"'\u201d\u2019)\]]$/;
const MAX_HEADING_CHARS = 100;
const MAX_HEADING_WORDS = 14;
const MAX_KEY_POINT_CHARS = 400;

/** Parses a plain-text article's text (already decoded, `\n` line endings). */
export function parseText(text: string): ParsedArticle {
  const lines = text.split('\n').map((l) => l.trim());
  const titleIndex = lines.findIndex((l) => l.length > 0);
  const base: ParsedArticle = {
    title: null,
    titleLine: titleIndex + 1 || 1,
    url: null,
    published: null,
    source: null,
    kind: 'news',
    aliases: [],
    blocks: [],
    problems: [],
  };
  if (titleIndex === -1) return base;
  const blocks: Block[] = [];
  let i = titleIndex + 1;

  // Key points: the lines right under the title, when a blank line closes them.
  const blank = lines.indexOf('', i);
  const keyLines = blank === -1 ? [] : lines.slice(i, blank);
  if (keyLines.length > 0 && keyLines.every((l) => l.length <= MAX_KEY_POINT_CHARS && CLOSING.test(l))) {
    blocks.push({ type: 'heading', text: KEY_POINTS_HEADING, line: i + 1, level: 2 });
    keyLines.forEach((l, k) => {
      blocks.push({ type: 'paragraph', text: l, line: i + k + 1 });
    });
    i = blank;
  }

  let inCommentary = false;
  let paragraph: { lines: string[]; line: number } | null = null;
  const flush = () => {
    if (paragraph) blocks.push({ type: 'paragraph', text: paragraph.lines.join('\n'), line: paragraph.line });
    paragraph = null;
  };
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line) {
      flush();
      continue;
    }
    if (paragraph === null && isHeading(line, nextNonBlank(lines, i + 1))) {
      const commentary = COMMENTARY_HEADINGS.has(line.toLowerCase());
      if (commentary) inCommentary = true;
      blocks.push({
        type: 'heading',
        text: line,
        line: i + 1,
        // Commentary spans the rest of the file, so it opens at the outermost level.
        level: commentary ? 1 : 2,
        ...(inCommentary ? { kind: 'commentary' as const } : {}),
      });
      continue;
    }
    if (paragraph) paragraph.lines.push(line);
    else paragraph = { lines: [line], line: i + 1 };
    if (CLOSING.test(line)) flush();
  }
  flush();
  return { ...base, title: lines[titleIndex] ?? null, blocks };
}

const STARTS_SENTENCE = /^[\p{Lu}\p{N}"'\u201c\u2018]/u;

function isHeading(line: string, next: string | null): boolean {
  return (
    next !== null &&
    // A line that continues in lower case is a wrapped sentence, not a heading.
    STARTS_SENTENCE.test(next) &&
    line.length <= MAX_HEADING_CHARS &&
    line.split(/\s+/).length <= MAX_HEADING_WORDS &&
    STARTS_SENTENCE.test(line) &&
    !CLOSING.test(line)
  );
}

function nextNonBlank(lines: readonly string[], from: number): string | null {
  for (let i = from; i < lines.length; i++) if (lines[i]) return lines[i] ?? null;
  return null;
}
