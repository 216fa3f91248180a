/**
 * YAML front matter: the block between `---` lines at the top of a Markdown
 * article. Parsed with `yaml` (which reports line positions) and validated
 * with zod, so every problem names the line and the field to fix.
 */
import { isMap, isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { z } from 'zod';
import { KINDS, type Kind } from '../article.js';

/** Validated front matter fields; absent optional fields are null. */
export interface FrontMatter {
  title: string | null;
  url: string | null;
  published: string | null;
  source: string | null;
  kind: Kind;
  /** Groups of spellings of one name, each group's spellings equivalent in questions (see `Article.aliases`). */
  aliases: string[][];
}

/** A problem located by 1-based line in the file. */
export interface LineProblem {
  line: number;
  message: string;
  /** Errors keep the article out of service; warnings only inform. */
  severity: 'error' | 'warning';
}

/** Front matter, where the body starts, and what was wrong. */
export interface FrontMatterResult {
  frontMatter: FrontMatter;
  /** The text after the front matter. */
  body: string;
  /** 1-based line number of the body's first line. */
  bodyLine: number;
  problems: LineProblem[];
}

const FIELDS = ['title', 'url', 'published', 'source', 'kind', 'aliases'] as const;

const isoDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const text = v instanceof Date ? v.toISOString() : v.trim();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m?.[1] || Number.isNaN(Date.parse(m[1]))) {
    ctx.addIssue({ code: 'custom', message: 'must be a date like 2025-05-16' });
    return z.NEVER;
  }
  return m[1];
});

const schema = z.object({
  title: z.string().trim().min(1, 'must not be empty').optional(),
  url: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) link like https://example.com/story' })
    .optional(),
  published: isoDate.optional(),
  source: z.string().trim().min(1, 'must not be empty').optional(),
  kind: z.enum(KINDS as [Kind, ...Kind[]], { message: `must be one of: ${KINDS.join(', ')}` }).optional(),
  aliases: z
    .array(
      z
        .array(
          z
            .string({ message: 'must hold spellings written as text' })
            .trim()
            .regex(/^[\p{L}\p{N}]+(?:['\u2019\u02bc.-][\p{L}\p{N}]+)*\.?$/u, {
              message: 'must hold single words (one spelling of a name each, like Zelensky)',
            }),
          { message: 'must be a list of lists, like [[Zelenskyy, Zelensky], [Kyiv, Kiev]]' },
        )
        .min(2, { message: 'must list at least two spellings in each group' }),
      { message: 'must be a list of lists, like [[Zelenskyy, Zelensky], [Kyiv, Kiev]]' },
    )
    .optional(),
});

const EMPTY: FrontMatter = {
  title: null,
  url: null,
  published: null,
  source: null,
  kind: 'news',
  aliases: [],
};

/**
 * Reads the front matter at the top of `text`, if any. A file without front
 * matter returns the defaults and its whole text as the body.
 */
export function readFrontMatter(text: string): FrontMatterResult {
  if (!/^---[ \t]*(\n|$)/.test(text))
    return { frontMatter: { ...EMPTY }, body: text, bodyLine: 1, problems: [] };
  const close = /\n(---|\.\.\.)[ \t]*(\n|$)/.exec(text);
  if (!close) {
    return {
      frontMatter: { ...EMPTY },
      body: '',
      bodyLine: 1,
      problems: [
        {
          line: 1,
          message: 'front matter opened with --- is never closed: add a --- line after it',
          severity: 'error',
        },
      ],
    };
  }
  const yamlStart = text.indexOf('\n') + 1;
  const yamlText = text.slice(yamlStart, close.index + 1);
  const bodyOffset = close.index + close[0].length;
  const bodyLine = lineAt(text, bodyOffset);
  const { frontMatter, problems } = parseYaml(yamlText, 2);
  return { frontMatter, body: text.slice(bodyOffset), bodyLine, problems };
}

function parseYaml(
  yamlText: string,
  firstLine: number,
): { frontMatter: FrontMatter; problems: LineProblem[] } {
  const read = simpleFields(yamlText, firstLine) ?? readYaml(yamlText, firstLine);
  if ('frontMatter' in read) return read;
  const { raw, keyLines, problems, lineOfPath } = read;
  const known = Object.fromEntries(
    FIELDS.filter((f) => raw[f] !== undefined && raw[f] !== null).map((f) => [f, raw[f]]),
  );
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      const [group, spelling] = issue.path.slice(1).map((i) => Number(i) + 1);
      const where =
        group === undefined
          ? ''
          : ` (group ${group}${spelling === undefined ? '' : `, spelling ${spelling}`})`;
      problems.push({
        line: lineOfPath?.(issue.path as (string | number)[]) ?? keyLines.get(field) ?? firstLine,
        message: `front matter field "${field}"${where} ${issue.message}`,
        severity: 'error',
      });
    }
    return { frontMatter: { ...EMPTY }, problems };
  }
  const v = parsed.data;
  return {
    frontMatter: {
      title: v.title ?? null,
      url: v.url ?? null,
      published: v.published ?? null,
      source: v.source ?? null,
      kind: v.kind ?? 'news',
      aliases: v.aliases ?? [],
    },
    problems,
  };
}

/** Front matter fields as YAML reads them, with the line of each key, before validation. */
interface Fields {
  raw: Record<string, unknown>;
  keyLines: Map<string, number>;
  problems: LineProblem[];
  /** The line of the value at a path inside a field (a list item), when known. */
  lineOfPath?: (path: readonly (string | number)[]) => number | undefined;
}

// One known field per line, with a value YAML reads as that very string: quoted without escapes or inner
// quotes, or a plain scalar that starts with a letter (or is a date) and holds nothing special to YAML.
// Characters outside YAML's printable set, and those it treats apart (NEL, line separators, BOM), are left
// to YAML.
const SAFE = '\\x20-\\x7e\\xa0-\\u2027\\u202a-\\ud7ff\\ue000-\\ufefe\\uff00-\\ufffd';
const SIMPLE_LINE = new RegExp(
  `^(${FIELDS.join('|')}): +(?:"([${SAFE}]*)"|'([${SAFE}]*)'|([A-Za-z][${SAFE}]*|\\d{4}-\\d{2}-\\d{2}))$`,
);
/** Plain scalars YAML reads as something else than the string, or cannot read as one. */
const NOT_PLAIN_STRING = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$|: | #|[ :]$/;

/**
 * The fields of front matter written in the simplest form, `field: value`
 * lines that YAML reads as plain strings, without parsing it as YAML; null
 * for anything else (comments, escapes, numbers, repeated or unknown
 * fields, …), which `readYaml` reads.
 */
function simpleFields(yamlText: string, firstLine: number): Fields | null {
  const lines = yamlText.split('\n');
  // The text ends with a line break, so the last piece is empty.
  if (lines.length < 2 || lines.pop() !== '') return null;
  const raw: Record<string, unknown> = {};
  const keyLines = new Map<string, number>();
  for (const [i, line] of lines.entries()) {
    const m = SIMPLE_LINE.exec(line);
    const key = m?.[1];
    if (!m || key === undefined || keyLines.has(key)) return null;
    const [, , double, single, plain] = m;
    if (double !== undefined && /["\\]/.test(double)) return null;
    if (single?.includes("'")) return null;
    if (plain !== undefined && NOT_PLAIN_STRING.test(plain)) return null;
    raw[key] = double ?? single ?? plain;
    keyLines.set(key, firstLine + i);
  }
  return { raw, keyLines, problems: [] };
}

/** The fields of front matter read by `yaml`, or the result when its problems already decide it. */
function readYaml(
  yamlText: string,
  firstLine: number,
): Fields | { frontMatter: FrontMatter; problems: LineProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: LineProblem[] = [];
  // An error at the very end (an unclosed bracket) is blamed on the last front matter line.
  const lastLine = firstLine + Math.max(0, yamlText.split('\n').length - 2);
  const lineOf = (offset: number | undefined) =>
    Math.min(lastLine, firstLine - 1 + (offset === undefined ? 1 : lineCounter.linePos(offset).line));
  for (const error of doc.errors) {
    problems.push({
      line: lineOf(error.pos[0]),
      message: `front matter is not valid YAML: ${firstSentence(error.message)}`,
      severity: 'error',
    });
  }
  if (problems.length) return { frontMatter: { ...EMPTY }, problems };
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null))
    return { frontMatter: { ...EMPTY }, problems };
  if (!isMap(contents)) {
    return {
      frontMatter: { ...EMPTY },
      problems: [{ line: firstLine, message: 'front matter must be key: value lines', severity: 'error' }],
    };
  }
  const keyLines = new Map<string, number>();
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    keyLines.set(key, lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined));
    if (!(FIELDS as readonly string[]).includes(key)) {
      problems.push({
        line: keyLines.get(key) ?? firstLine,
        message: `unknown front matter field "${key}" is ignored: use only ${FIELDS.join(', ')}`,
        severity: 'warning',
      });
    }
  }
  try {
    const lineOfPath = (path: readonly (string | number)[]) => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lineOf(node.range[0]) : undefined;
    };
    return { raw: doc.toJS() as Record<string, unknown>, keyLines, problems, lineOfPath };
  } catch (error) {
    // An alias whose anchor is never set is found only when the values are read.
    let line = firstLine;
    visit(doc, {
      Alias(_, node) {
        if (node.resolve(doc) !== undefined) return undefined;
        line = lineOf(node.range?.[0]);
        return visit.BREAK;
      },
    });
    const message = `front matter is not valid YAML: ${firstSentence((error as Error).message)}`;
    return { frontMatter: { ...EMPTY }, problems: [...problems, { line, message, severity: 'error' }] };
  }
}

function firstSentence(message: string): string {
  return message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? message;
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
