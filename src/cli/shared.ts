/** What the command-line tools share: loading the index and reporting errors. */
import { CeasefireError, UsageError } from '../errors.js';
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

/** Whether the arguments ask for help (`--help` or `-h` before any `--`). */
function asksForHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/**
 * Node's `parseArgs` refusal of the arguments (an unknown option, a missing
 * value), as a usage error that ends with the command's usage line.
 */
function asUsageError(error: unknown, usage: string): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) return error;
  // Node's wording ends with advice on positional arguments that applies to npm's own `--` only.
  const problem = (error as Error).message.split('. ')[0] ?? (error as Error).message;
  return new UsageError(`${problem}\n${usage}`);
}

/**
 * Runs a command's main function: its result is the exit code; `--help`
 * prints `usage` (exit 0); a `CeasefireError` prints its message (exit 2
 * for usage, 1 otherwise), and so do arguments `parseArgs` refuses (exit 2).
 */
export function runCli(main: (argv: string[]) => Promise<number>, usage: string): void {
  const argv = process.argv.slice(2);
  if (asksForHelp(argv)) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  main(argv)
    .catch((error: unknown) => Promise.reject(asUsageError(error, usage)))
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        if (error instanceof CeasefireError) {
          process.stderr.write(`${error.message}\n`);
          process.exitCode = error.code === 'USAGE' ? 2 : 1;
        } else {
          process.stderr.write(
            `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
          );
          process.exitCode = 1;
        }
      },
    );
}
