/**
 * `npm run check`: validates the knowledge folder. Lists every problem with
 * its file and line; exits 1 when any file cannot be served, 0 otherwise.
 */
import { loadConfig } from '../config.js';
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import { formatProblem, runCli } from './shared.js';

const USAGE = 'usage: npm run check -- [FOLDER]   (default: KNOWLEDGE_DIR, else ./knowledge)';

async function main(argv: string[]): Promise<number> {
  const config = loadConfig('offline');
  const dir = argv[0] ?? config.knowledgeDir;
  const { articles, problems } = await loadKnowledge(dir);
  for (const p of problems) process.stdout.write(`${formatProblem(p)}\n`);
  const errors = problems.filter((p) => p.severity === 'error').length;
  const sentences = articles.reduce((n, a) => n + a.sentences.length, 0);
  process.stdout.write(
    `${dir}: ${articles.length} article(s), ${sentences} sentence(s); ${errors} error(s), ${problems.length - errors} warning(s)\n`,
  );
  return errors > 0 || articles.length === 0 ? 1 : 0;
}

runCli(main, USAGE);
