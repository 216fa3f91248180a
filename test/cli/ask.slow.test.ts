/** The `ask` command's contract, run as a user runs it. */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** What `tsx` runs a script with, in one process rather than tsx's two. */
const WITH_TSX = ['--import', 'tsx'];
const root = mkdtempSync(path.join(tmpdir(), 'ask-'));
const knowledge = path.join(root, 'knowledge');
cpSync('test/fixtures/articles', knowledge, { recursive: true });
writeFileSync(path.join(knowledge, 'broken.md'), '---\ntitle: Broken\nkind: rumour\n---\nText.\n');

afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Runs a command as a user runs it, with `input` on stdin. Asynchronously: a
 * worker blocked for the whole run cannot answer vitest meanwhile.
 */
function run(script: string, args: string[], input = '') {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      [...WITH_TSX, script, ...args],
      { env: { ...process.env, KNOWLEDGE_DIR: knowledge }, timeout: 60_000 },
      (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

const ask = (args: string[], input?: string) => run('src/cli/ask.ts', args, input);
const check = (folder: string) => run('src/cli/check.ts', [folder]);

describe('npm run ask', () => {
  it('--json prints exactly one object with the contract fields, diagnostics on stderr only', async () => {
    const { status, stdout, stderr } = await ask(['--json', 'Who led the Kyiv delegation?']);
    expect(status).toBe(0);
    expect(stderr).toContain('knowledge/broken.md:3');
    const answer = JSON.parse(stdout);
    expect(Object.keys(answer)).toEqual(['question', 'kind', 'facts']);
    expect(answer.kind).toBe('facts');
    expect(answer.question).toBe('Who led the Kyiv delegation?');
    const fact = answer.facts[0];
    expect(Object.keys(fact)).toEqual(['text', 'score', 'context', 'sources']);
    expect(fact.text).toBe('The delegation from Kyiv was led by Deputy Minister Olena Kovalenko.');
    expect(fact.sources[0]).toEqual({
      title: 'Grain corridor talks resume in Geneva',
      section: 'The negotiations',
      file: 'knowledge/grain-corridor.md',
      line: 17,
      url: 'https://example.com/news/grain-corridor',
      kind: 'news',
      published: '2025-06-02',
    });
  });

  it('--jsonl answers one question per line, in order, including empty lines', async () => {
    const { status, stdout } = await ask(
      ['--jsonl'],
      'Kiev delegation\n\nWhat is the capital of Australia?\nGenevva talks\n',
    );
    expect(status).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.question)).toEqual([
      'Kiev delegation',
      '',
      'What is the capital of Australia?',
      'Genevva talks',
    ]);
    expect(lines.map((l) => l.facts.length > 0)).toEqual([true, false, false, true]);
  });

  it('--limit caps the number of facts', async () => {
    const { stdout } = await ask(['--json', '--limit', '1', 'corridor']);
    expect(JSON.parse(stdout).facts).toHaveLength(1);
  });

  it('prints numbered facts with Title › Section (file:line), link and commentary label', async () => {
    const { stdout } = await ask(['skepticism of insurers']);
    expect(stdout).toContain('1. The scepticism of insurers keeps freight costs high.');
    expect(stdout).toContain(
      '[commentary] Grain corridor talks resume in Geneva › Commentary (knowledge/grain-corridor.md:26, 2025-06-02) https://example.com/news/grain-corridor',
    );
  });

  it('says in one line when nothing is relevant, with topics to try', async () => {
    const { status, stdout } = await ask(['What is the capital of Australia?']);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout).toMatch(/^Nothing relevant found.*Try asking about: .*The negotiations/);
  });

  it('rejects a bad --limit and a missing question with usage and exit code 2', async () => {
    expect((await ask(['--limit', 'x', 'q'])).status).toBe(2);
    const none = await ask([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run ask');
  });

  it('prints its usage for --help and exits 0; an unknown option gets the usage and exit code 2', async () => {
    const help = await ask(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run ask -- /);
    const unknown = await ask(['--verbose', 'Who led the Kyiv delegation?']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe(
      'Unknown option \'--verbose\'\nusage: npm run ask -- [--json | --jsonl] [--limit N] "question"\n',
    );
    expect(unknown.stdout).toBe('');
  });
});

describe('npm run check', () => {
  it('lists every problem with file and line and exits 1 when a file cannot be served', async () => {
    const run = await check(knowledge);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'error: knowledge/broken.md:3: front matter field "kind" must be one of: news, commentary',
    );
    expect(run.stdout).toMatch(/2 article\(s\), \d+ sentence\(s\); 1 error\(s\)/);
  });

  it('exits 0 on the shipped knowledge folder', async () => {
    const run = await check('knowledge');
    expect(run.stdout).toContain('1 article(s), 52 sentence(s); 0 error(s), 0 warning(s)');
    expect(run.status).toBe(0);
  });
});
