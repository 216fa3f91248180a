/**
 * `npm run eval -- FILE…`: answer quality on SQuAD-format files, articles and
 * crowd questions nobody on the project wrote. Each article is scored with
 * the knowledge folder plus that article loaded; off-topic abstention asks
 * the same questions of the knowledge folder alone, which must answer
 * nothing. Prints a table: one row per article, and the total.
 *   --misses   also list the questions whose first fact holds no answer
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { readSquadFile } from '../knowledge/squad.js';
import { combineScores, type ExternalScores, scoreQuestions } from '../search/evaluate.js';
import { runCli } from './shared.js';

const USAGE = 'usage: npm run eval -- [--misses] FILE.json…';

/** Facts per answer, as `ask --jsonl --limit 5` gives them. */
const FACTS = 5;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { misses: { type: 'boolean' } },
  });
  if (positionals.length === 0) throw new UsageError(`give a SQuAD-format file\n${USAGE}`);
  const config = loadConfig('offline');
  const base = await loadKnowledge(config.knowledgeDir);
  if (base.articles.length === 0)
    process.stderr.write(`warning: no articles in ${config.knowledgeDir}: off-topic abstention is trivial\n`);
  const alone = new KnowledgeBase({ articles: base.articles, problems: [] });
  const rows: [string, ExternalScores][] = [];
  for (const file of positionals) {
    for (const squad of readSquadFile(file)) {
      const kb = new KnowledgeBase({ articles: [...base.articles, squad.article], problems: [] });
      const scores = scoreQuestions(
        squad.questions,
        (q) => kb.answer(q, { limit: FACTS }).facts,
        (q) => alone.answer(q, { limit: FACTS }).facts,
      );
      rows.push([squad.title, scores]);
      if (values.misses) for (const q of scores.misses) process.stdout.write(`miss (${squad.title}): ${q}\n`);
    }
  }
  if (rows.length > 1) rows.push(['Total', combineScores(rows.map(([, s]) => s))]);
  process.stdout.write(`${formatTable(rows)}\n`);
  return 0;
}

/** The figures as an aligned text table. */
function formatTable(rows: readonly [string, ExternalScores][]): string {
  const header = [
    'article',
    'questions',
    'hit@1',
    'hit@3',
    'MRR',
    'false abstention',
    'off-topic abstention',
  ];
  const lines = rows.map(([title, s]) => [
    title,
    String(s.questions),
    ...[s.hit1, s.hit3, s.mrr, s.falseAbstain, s.offTopicAbstain].map((v) => v.toFixed(2)),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  return [header, ...lines]
    .map((cells) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
        .join('  '),
    )
    .join('\n');
}

runCli(main, USAGE);
