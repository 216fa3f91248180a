/** The folder watcher: debounced callbacks on real file changes, hidden files ignored, a folder that comes back. */
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KnowledgeWatcher, watchKnowledge } from '../../src/knowledge/watch-knowledge.js';

let root: string;
let dir: string;
let watcher: KnowledgeWatcher | null;
let calls: number;
let lines: string[];

const logger = {
  info: (m: string) => lines.push(`info ${m}`),
  warn: (m: string) => lines.push(`warn ${m}`),
  error: (m: string) => lines.push(`error ${m}`),
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, up to `ms`. */
async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await sleep(20);
  }
}

async function start(options: { debounceMs?: number; recheckMs?: number } = {}): Promise<void> {
  watcher = watchKnowledge(
    dir,
    async () => {
      calls++;
    },
    { logger, debounceMs: 100, recheckMs: 100, ...options },
  );
  await watcher.ready;
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'watch-'));
  dir = path.join(root, 'knowledge');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'a.md'), '---\ntitle: A\n---\nText.\n');
  calls = 0;
  lines = [];
  watcher = null;
});

afterEach(async () => {
  await watcher?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('watchKnowledge', () => {
  it('calls back once for a burst of changes', async () => {
    await start({ debounceMs: 300 });
    for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, `b${i}.md`), `---\ntitle: B${i}\n---\nText.\n`);
    await until(() => calls > 0);
    await sleep(500);
    expect(calls).toBe(1);
  });

  it('calls back for additions, edits and deletions, in subfolders too', async () => {
    await start();
    writeFileSync(path.join(dir, 'b.md'), 'new');
    await until(() => calls === 1);
    writeFileSync(path.join(dir, 'a.md'), 'edited');
    await until(() => calls === 2);
    mkdirSync(path.join(dir, 'sub'));
    await until(() => calls === 3);
    writeFileSync(path.join(dir, 'sub', 'c.md'), 'in a new subfolder');
    await until(() => calls === 4);
    rmSync(path.join(dir, 'a.md'));
    await until(() => calls === 5);
  });

  it('watches folders created later at any depth, and calls back when one is removed', async () => {
    await start();
    mkdirSync(path.join(dir, 'x', 'y'), { recursive: true });
    await until(() => calls === 1);
    writeFileSync(path.join(dir, 'x', 'y', 'deep.md'), 'in a new nested folder');
    await until(() => calls === 2);
    rmSync(path.join(dir, 'x'), { recursive: true });
    await until(() => calls === 3);
    await sleep(300);
    expect(calls).toBe(3);
  });

  it('ignores hidden files, such as editors’ temporary copies', async () => {
    await start();
    writeFileSync(path.join(dir, '.a.md.swp'), 'swap');
    await sleep(400);
    expect(calls).toBe(0);
  });

  it('watches the folder again after it was removed and created anew', async () => {
    await start();
    rmSync(dir, { recursive: true });
    await until(() => lines.some((l) => l.startsWith('warn') && l.includes('was removed')));
    const before = calls;
    mkdirSync(dir);
    await until(() => lines.some((l) => l.includes('is back')));
    await until(() => calls > before);
    const afterReturn = calls;
    writeFileSync(path.join(dir, 'later.md'), 'written after the folder came back');
    await until(() => calls > afterReturn);
  });

  it('waits for a folder that does not exist yet', async () => {
    const aside = path.join(root, 'aside');
    renameSync(dir, aside);
    await start();
    expect(lines).toContainEqual(expect.stringMatching(/^warn Knowledge folder .* is missing/));
    renameSync(aside, dir);
    await until(() => calls > 0);
  });

  it('calls back no more after it is closed', async () => {
    await start();
    await watcher?.close();
    writeFileSync(path.join(dir, 'b.md'), 'after close');
    await sleep(400);
    expect(calls).toBe(0);
  });
});
