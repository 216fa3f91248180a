/**
 * The SQLite store: the shared store contract, and what only a file has:
 * expired claims purged, schema steps recorded in the file, locks left by a
 * dead process, and clear refusals of files it must not touch.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { DATABASE_FILE, LOCK_LEASE_MS, SqliteStore } from '../../src/store/sqlite-store.js';
import { LEGACY_LAST, LEGACY_SUBSCRIPTION, writeLegacySqlite } from './legacy-digest.js';
import { storeContract } from './store-contract.js';

describe('the store contract', () => {
  // A new folder is an empty database, and as quick to make as any.
  storeContract(async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'ceasefire-store-'));
    return {
      open: async (now) => SqliteStore.open(folder, { now }),
      dispose: () => rm(folder, { recursive: true, force: true }),
    };
  });
});

let dir: string;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-store-'));
  clock = 1_700_000_000_000;
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const inFile = <T>(read: (db: Database.Database) => T): T => {
  const db = new Database(path.join(dir, DATABASE_FILE));
  try {
    return read(db);
  } finally {
    db.close();
  }
};

describe('claims', () => {
  it('deletes expired claims as time passes', async () => {
    const store = SqliteStore.open(dir, { now });
    for (let i = 0; i < 50; i++) await store.claim([`event:${i}`], 1000);
    clock += 120_000;
    await store.claim(['event:new'], 1000);
    await store.close();
    expect(inFile((db) => db.prepare('SELECT COUNT(*) AS n FROM claims').get())).toEqual({ n: 1 });
  });
});

describe('locks', () => {
  it('takes over a lock whose process died once its lease runs out', async () => {
    const store = SqliteStore.open(dir, { now });
    // What a process that died holding the lock leaves behind.
    inFile((db) =>
      db
        .prepare('INSERT INTO leases (name, owner, expires_at) VALUES (?, ?, ?)')
        .run('token:T1', 'dead-process', clock + LOCK_LEASE_MS),
    );
    await expect(store.withLock('token:T1', async () => 'early', { waitMs: 100 })).rejects.toThrow(
      /still held by another process/,
    );
    clock += LOCK_LEASE_MS;
    expect(await store.withLock('token:T1', async () => 'taken over', { waitMs: 100 })).toBe('taken over');
    expect(inFile((db) => db.prepare('SELECT COUNT(*) AS n FROM leases').get())).toEqual({ n: 0 });
    await store.close();
  });
});

describe('schema', () => {
  it('records the latest schema version and runs only newer steps on the next start', async () => {
    const store = SqliteStore.open(dir);
    await store.close();
    expect(inFile((db) => db.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    const extra = {
      version: MIGRATIONS.length + 1,
      name: 'test table',
      sqlite: 'CREATE TABLE extra (id INTEGER);',
      postgres: 'CREATE TABLE extra (id INTEGER);',
    };
    const upgraded = SqliteStore.open(dir, { migrations: [...MIGRATIONS, extra] });
    await upgraded.close();
    expect(inFile((db) => db.pragma('user_version', { simple: true }))).toBe(extra.version);
    expect(inFile((db) => db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get())).toEqual({
      name: 'extra',
    });
  });

  it('upgrades a database from before installations, keeping its contents', async () => {
    // A file as the version before installations left it.
    inFile((db) => {
      for (const step of MIGRATIONS.slice(0, 2)) db.exec(step.sqlite);
      db.pragma('user_version = 2');
      db.prepare(
        `INSERT INTO feedback (user_id, question, fact_offset, team_id, channel_id, helpful, recorded_at)
         VALUES ('U1', 'q', 0, 'T1', 'C1', 1, 0)`,
      ).run();
    });
    const store = SqliteStore.open(dir);
    expect(await store.feedbackTotals()).toEqual({ helpful: 1, unhelpful: 0 });
    await store.deleteWorkspace({ teamId: 'T1' });
    expect(await store.feedbackTotals()).toEqual({ helpful: 0, unhelpful: 0 });
    await store.close();
  });

  it("upgrades a digest from before workspaces: its rows wait under team '' for the workspace to adopt them", async () => {
    writeLegacySqlite(dir);
    const store = SqliteStore.open(dir);
    expect(await store.digestSubscriptions('')).toEqual([LEGACY_SUBSCRIPTION]);
    expect(await store.lastDigest({ teamId: '', channelId: 'C0LEGACY1' })).toEqual(LEGACY_LAST);
    expect(await store.adoptDigests({ teamId: 'T0001', enterpriseId: null })).toBe(2);
    expect(await store.digestSubscriptions('T0001')).toEqual([{ ...LEGACY_SUBSCRIPTION, teamId: 'T0001' }]);
    expect(await store.lastDigest({ teamId: 'T0001', channelId: 'C0LEGACY1' })).toEqual({
      ...LEGACY_LAST,
      entry: { ...LEGACY_LAST.entry, teamId: 'T0001' },
    });
    await store.close();
  });

  it('refuses a database from a newer version of the bot', async () => {
    inFile((db) => db.pragma('user_version = 99'));
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
    for (let i = 0; i < 500; i++) {
      await store.recordFeedback({
        userId: 'U1',
        teamId: 'T1',
        channelId: 'C1',
        question: `q${i}`.repeat(20),
        offset: 0,
        helpful: true,
      });
    }
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
