/**
 * SQuAD-format files (Rajpurkar et al., 2016): Wikipedia articles as
 * paragraphs, each with crowd-written questions and the spans of the
 * paragraph that answer them. They serve to measure answers on articles and
 * questions nobody on the project wrote: each article becomes one Markdown
 * article, a paragraph each, the way a user would drop it into the knowledge
 * folder.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Article } from '../article.js';
import { UsageError } from '../errors.js';
import { articleFromBytes } from './load-knowledge.js';

const squadSchema = z.object({
  data: z
    .array(
      z.object({
        title: z.string().min(1),
        paragraphs: z.array(
          z.object({
            context: z.string(),
            qas: z.array(
              z.object({
                question: z.string(),
                answers: z.array(z.object({ answer_start: z.number().int().min(0), text: z.string() })),
              }),
            ),
          }),
        ),
      }),
    )
    .min(1),
});

/** One question with where its answers are: character spans of its paragraph. */
export interface SquadQuestion {
  question: string;
  /** The paragraph the question was written about. */
  paragraph: string;
  /** Gold answers as [start, length] in `paragraph`. */
  spans: [number, number][];
}

/** One SQuAD article: as an article of the knowledge, and its questions. */
export interface SquadArticle {
  title: string;
  article: Article;
  questions: SquadQuestion[];
}

/**
 * Reads a SQuAD-format file. Throws a `UsageError` naming the file and the
 * first field that is not as the format has it.
 */
export function readSquadFile(file: string): SquadArticle[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${file}: cannot be read as JSON (${(error as Error).message}): give a SQuAD-format file`,
    );
  }
  const parsed = squadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'the top level';
    throw new UsageError(
      `${file}: not a SQuAD-format file: ${where}: ${issue?.message ?? 'unexpected shape'} (expected data[].title and data[].paragraphs[].context / qas[].question / answers[])`,
    );
  }
  return parsed.data.data.map((entry) => {
    const title = entry.title.replace(/_/g, ' ');
    const body = entry.paragraphs.map((p) => p.context.replace(/\n/g, ' ')).join('\n\n');
    const text = `---\ntitle: ${JSON.stringify(title)}\nkind: news\n---\n\n${body}\n`;
    const path = `knowledge/${entry.title.toLowerCase()}.md`;
    const built = articleFromBytes(new TextEncoder().encode(text), path);
    if (!built.article) {
      const problem = built.problems[0];
      throw new UsageError(
        `${file}: article "${entry.title}" cannot be read: ${problem?.message ?? 'no sentences'}`,
      );
    }
    const questions = entry.paragraphs.flatMap((p) =>
      p.qas.map((q) => ({
        question: q.question.replace(/\s+/g, ' ').trim(),
        paragraph: p.context,
        spans: q.answers.map((a): [number, number] => [a.answer_start, a.text.length]),
      })),
    );
    return { title, article: built.article, questions };
  });
}
