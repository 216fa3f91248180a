/** The `ask` command's contract, run as a user runs it. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const TSX = path.resolve('node_modules/.bin/tsx');
const root = mkdtempSync(path.join(tmpdir(), 'ask-'));
const knowledge = path.join(root, 'knowledge');
cpSync('test/fixtures/articles', knowledge, { recursive: true });
writeFileSync(path.join(knowledge, 'broken.md'), '---\ntitle: Broken\nkind: rumour\n---\nText.\n');

afterAll(() => rmSync(root, { recursive: true, force: true }));

function ask(args: string[], input?: string) {
  const run = spawnSync(TSX, ['src/cli/ask.ts', ...args], {
    input,
    encoding: 'utf8',
    env: { ...process.env, KNOWLEDGE_DIR: knowledge },
    timeout: 20_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run ask', () => {
  it('--json prints exactly one object with the contract fields, diagnostics on stderr only', () => {
    const { status, stdout, stderr } = ask(['--json', 'Who led the Kyiv delegation?']);
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

  it('--jsonl answers one question per line, in order, including empty lines', () => {
    const { status, stdout } = ask(
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

  it('--limit caps the number of facts', () => {
    const { stdout } = ask(['--json', '--limit', '1', 'corridor']);
    expect(JSON.parse(stdout).facts).toHaveLength(1);
  });

  it('prints numbered facts with Title › Section (file:line), link and commentary label', () => {
    const { stdout } = ask(['skepticism of insurers']);
    expect(stdout).toContain('1. The scepticism of insurers keeps freight costs high.');
    expect(stdout).toContain(
      '[commentary] Grain corridor talks resume in Geneva › Commentary (knowledge/grain-corridor.md:26, 2025-06-02) https://example.com/news/grain-corridor',
    );
  });

  it('says in one line when nothing is relevant, with topics to try', () => {
    const { status, stdout } = ask(['What is the capital of Australia?']);
    expect(status).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(stdout).toMatch(/^Nothing relevant found.*Try asking about: .*The negotiations/);
  });

  it('rejects a bad --limit and a missing question with usage and exit code 2', () => {
    expect(ask(['--limit', 'x', 'q']).status).toBe(2);
    const none = ask([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('usage: npm run ask');
  });
});

describe('npm run check', () => {
  it('lists every problem with file and line and exits 1 when a file cannot be served', () => {
    const run = spawnSync(TSX, ['src/cli/check.ts', knowledge], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'error: knowledge/broken.md:3: front matter field "kind" must be one of: news, commentary',
    );
    expect(run.stdout).toMatch(/2 article\(s\), \d+ sentence\(s\); 1 error\(s\)/);
  });

  it('exits 0 on the shipped knowledge folder', () => {
    const run = spawnSync(TSX, ['src/cli/check.ts', 'knowledge'], { encoding: 'utf8', timeout: 20_000 });
    expect(run.stdout).toContain('1 article(s), 52 sentence(s); 0 error(s), 0 warning(s)');
    expect(run.status).toBe(0);
  });
});
