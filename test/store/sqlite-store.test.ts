/**
 * The SQLite store: claims that expire, feedback that persists, schema
 * steps, and clear refusals of files it must not touch.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { DATABASE_FILE, SqliteStore } from '../../src/store/sqlite-store.js';

let dir: string;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-store-'));
  clock = 1_700_000_000_000;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const feedback = (helpful: boolean, userId = 'U1') => ({
  userId,
  teamId: 'T1',
  channelId: 'C1',
  question: 'Who leads?',
  offset: 0,
  helpful,
});

describe('claim', () => {
  it('grants a key once until it expires, then again', async () => {
    const store = SqliteStore.open(dir, { now });
    expect(await store.claim(['event:Ev1'], 1000)).toBe(true);
    expect(await store.claim(['event:Ev1'], 1000)).toBe(false);
    clock += 999;
    expect(await store.claim(['event:Ev1'], 1000)).toBe(false);
    clock += 1;
    expect(await store.claim(['event:Ev1'], 1000)).toBe(true);
    await store.close();
  });

  it('refuses a set of keys when any one was claimed, and claims the rest', async () => {
    const store = SqliteStore.open(dir, { now });
    expect(await store.claim(['message:C1:1', 'event:A'], 60_000)).toBe(true);
    expect(await store.claim(['message:C1:1', 'event:B'], 60_000)).toBe(false);
    expect(await store.claim(['event:B'], 60_000)).toBe(false);
    expect(await store.claim(['event:C'], 60_000)).toBe(true);
    await store.close();
  });

  it('remembers claims across a restart', async () => {
    const first = SqliteStore.open(dir, { now });
    await first.claim(['event:Ev1'], 60_000);
    await first.close();
    const second = SqliteStore.open(dir, { now });
    expect(await second.claim(['event:Ev1'], 60_000)).toBe(false);
    await second.close();
  });

  it('deletes expired claims as time passes', async () => {
    const store = SqliteStore.open(dir, { now });
    for (let i = 0; i < 50; i++) await store.claim([`event:${i}`], 1000);
    clock += 120_000;
    await store.claim(['event:new'], 1000);
    await store.close();
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM claims').get()).toEqual({ n: 1 });
    db.close();
  });
});

describe('feedback', () => {
  it('keeps one rating per reader and answer, the latest', async () => {
    const store = SqliteStore.open(dir, { now });
    await store.recordFeedback(feedback(true));
    await store.recordFeedback(feedback(false));
    await store.recordFeedback(feedback(true, 'U2'));
    await store.recordFeedback({ ...feedback(true, 'U2'), offset: 3 });
    expect(await store.feedbackTotals()).toEqual({ helpful: 2, unhelpful: 1 });
    await store.close();
    const reopened = SqliteStore.open(dir, { now });
    expect(await reopened.feedbackTotals()).toEqual({ helpful: 2, unhelpful: 1 });
    await reopened.close();
  });
});

describe('schema', () => {
  it('records the latest schema version and runs only newer steps on the next start', async () => {
    const store = SqliteStore.open(dir);
    await store.close();
    const extra = {
      version: MIGRATIONS.length + 1,
      name: 'test table',
      sql: 'CREATE TABLE extra (id INTEGER);',
    };
    const upgraded = SqliteStore.open(dir, { migrations: [...MIGRATIONS, extra] });
    await upgraded.close();
    const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(extra.version);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toEqual({
      name: 'extra',
    });
    db.close();
  });

  it('refuses a database from a newer version of the bot', async () => {
    const db = new Database(path.join(dir, DATABASE_FILE));
    db.pragma('user_version = 99');
    db.close();
    expect(() => SqliteStore.open(dir)).toThrow(
      /schema version 99, newer than this version of the bot knows/,
    );
  });
});

describe('refusals', () => {
  it('refuses a file that is not a database, and leaves it untouched', async () => {
    const file = path.join(dir, DATABASE_FILE);
    const garbage = Buffer.from('this is not a database, it is a note\n'.repeat(200));
    await writeFile(file, garbage);
    let error: unknown;
    try {
      SqliteStore.open(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_UNAVAILABLE');
    expect((error as StoreError).message).toMatch(/is damaged or is not a database .* left untouched/);
    expect(await readFile(file)).toEqual(garbage);
  });

  it('refuses a damaged database', async () => {
    const store = SqliteStore.open(dir);
    for (let i = 0; i < 500; i++)
      await store.recordFeedback({ ...feedback(true), question: `q${i}`.repeat(20) });
    await store.close();
    const file = path.join(dir, DATABASE_FILE);
    const bytes = await readFile(file);
    // Overwrite the middle pages (table b-tree pages) with noise, keeping the header valid.
    bytes.fill(0x5a, 4096, bytes.length - 4096);
    await writeFile(file, bytes);
    expect(() => SqliteStore.open(dir)).toThrow(StoreError);
    expect(await readFile(file)).toEqual(bytes);
  });

  it('refuses a data folder that cannot be created, naming DATA_DIR', async () => {
    const notAFolder = path.join(dir, 'file');
    await writeFile(notAFolder, 'x');
    expect(() => SqliteStore.open(path.join(notAFolder, 'data'))).toThrow(/cannot be created .*set DATA_DIR/);
  });
});
