/** What the command-line tools share: loading the index and reporting errors. */
import { CeasefireError } from '../errors.js';
import { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { KnowledgeProblem } from '../knowledge/types.js';

/** `file:line: message`, or `file: message` for problems that concern a whole file. */
export function formatProblem(p: KnowledgeProblem): string {
  return `${p.severity}: ${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message}`;
}

/** Loads the knowledge folder and indexes it, reporting problems on stderr. */
export async function openKnowledgeBase(knowledgeDir: string): Promise<KnowledgeBase> {
  const knowledge = await KnowledgeBase.load(knowledgeDir);
  for (const p of knowledge.problems) process.stderr.write(`${formatProblem(p)}\n`);
  if (knowledge.articles.length === 0)
    process.stderr.write(`warning: no articles found in ${knowledgeDir}\n`);
  return knowledge;
}

/**
 * Runs a command's main function: its result is the exit code; a
 * `CeasefireError` prints its message (exit 2 for usage, 1 otherwise).
 */
export function runCli(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof CeasefireError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = error.code === 'USAGE' ? 2 : 1;
      } else {
        process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
