/**
 * `npm run ask -- "question"`: answers from the knowledge folder, offline.
 *   --json         one JSON object on stdout
 *   --jsonl        one question per stdin line, one JSON object per line
 *   --limit N      how many facts (default 5)
 * Diagnostics go to stderr; stdout carries only answers.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { answerToJson, formatAnswerText } from '../render/answer-text.js';
import { openKnowledgeBase, runCli } from './shared.js';

const USAGE = 'usage: npm run ask -- [--json | --jsonl] [--limit N] "question"';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, jsonl: { type: 'boolean' }, limit: { type: 'string' } },
  });
  const limit = values.limit === undefined ? 5 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 50)
    throw new UsageError(`--limit must be a whole number from 1 to 50\n${USAGE}`);
  if (values.json && values.jsonl) throw new UsageError(`choose --json or --jsonl, not both\n${USAGE}`);
  if (!values.jsonl && positionals.length === 0) throw new UsageError(`give a question\n${USAGE}`);

  const config = loadConfig('offline');
  const knowledge = await openKnowledgeBase(config.knowledgeDir);

  if (values.jsonl) {
    const lines = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
    for await (const line of lines) {
      process.stdout.write(`${JSON.stringify(answerToJson(knowledge.answer(line, { limit })))}\n`);
    }
    return 0;
  }
  const answer = knowledge.answer(positionals.join(' '), { limit });
  process.stdout.write(
    values.json
      ? `${JSON.stringify(answerToJson(answer))}\n`
      : `${formatAnswerText(answer, knowledge.articles)}\n`,
  );
  return 0;
}

runCli(main, USAGE);
