/**
 * Hot reload end to end: a watched knowledge folder whose articles are
 * added, edited, broken and deleted while questions keep being asked. Every
 * question gets a complete answer throughout, and each change shows in the
 * answers. How soon it shows is the benchmark's to measure.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import type { KnowledgeWatcher } from '../../src/knowledge/watch-knowledge.js';

let root: string;
let dir: string;
let watcher: KnowledgeWatcher | null = null;
const lines: string[] = [];
const logger = {
  info: (m: string) => lines.push(`info ${m}`),
  warn: (m: string) => lines.push(`warn ${m}`),
  error: (m: string) => lines.push(`error ${m}`),
};

const article = (title: string, body: string) => `---\ntitle: ${title}\n---\n\n${body}\n`;
const ORIGINAL = 'The old lighthouse on the northern cape was restored by volunteers in April.';
const EDITED = 'The lighthouse keeper lit the restored lamp again on Sunday.';
const QUESTION = 'lighthouse restored';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds; gives up after a while, so that a change never seen fails rather than hangs. */
async function eventually(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('the change never showed');
    await sleep(10);
  }
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'hot-reload-'));
  dir = path.join(root, 'knowledge');
  mkdirSync(dir);
  writeFileSync(
    path.join(dir, 'ferry.md'),
    article('Ferry timetable', 'The island ferry runs every two hours.'),
  );
  lines.length = 0;
});

afterEach(async () => {
  await watcher?.close();
  rmSync(root, { recursive: true, force: true });
});

it('answers every question while articles are added, edited, broken and deleted, and reflects each change', async () => {
  const kb = await KnowledgeBase.load(dir);
  watcher = kb.watch({ logger, debounceMs: 100 });
  await watcher.ready;

  // Questions asked back to back for the whole test, as a busy bot would.
  const questions = [QUESTION, 'How often does the ferry run?', 'restored lamp', 'What happened on Sunday?'];
  let asked = 0;
  const failures: string[] = [];
  let asking = true;
  const ask = async () => {
    while (asking) {
      const question = questions[asked % questions.length] as string;
      try {
        const answer = kb.answer(question);
        for (const fact of answer.facts) {
          if (!fact.text || fact.sources.length === 0 || !fact.sources.every((s) => s.file && s.line > 0))
            failures.push(`incomplete fact for "${question}"`);
        }
      } catch (error) {
        failures.push(String(error));
      }
      asked++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const asking$ = ask();
  const first = () => kb.answer(QUESTION).facts[0]?.text;
  const file = path.join(dir, 'lighthouse.md');

  writeFileSync(file, article('Lighthouse restored', ORIGINAL));
  await eventually(() => first() === ORIGINAL);

  writeFileSync(file, article('Lighthouse restored', EDITED));
  await eventually(() => first() === EDITED);

  writeFileSync(file, '---\ntitle: Lighthouse restored\nkind: rumour\n---\n\nThe lamp is broken.\n');
  await eventually(() => lines.some((l) => /^warn knowledge\/lighthouse\.md:3: /.test(l)));
  expect(first()).toBe(EDITED);

  rmSync(file);
  await eventually(() => kb.answer(QUESTION).facts.length === 0);

  asking = false;
  await asking$;
  expect(failures).toEqual([]);
  // Questions kept being answered while the folder changed four times.
  expect(asked).toBeGreaterThan(100);
  expect(kb.answer('How often does the ferry run?').facts[0]?.text).toBe(
    'The island ferry runs every two hours.',
  );
});
