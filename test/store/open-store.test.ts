/** The store factory: Postgres when DATABASE_URL is set, the SQLite file in DATA_DIR otherwise. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { DATABASE_FILE, SqliteStore } from '../../src/store/sqlite-store.js';
import { DATABASE_PASSWORD } from '../helpers/credentials.js';
import { freePort } from '../helpers/loopback.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

let dir: string;
let database: TestDatabase;
const logger = { warn: () => undefined };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ceasefire-open-store-'));
  database = await createTestDatabase();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await database.drop();
});

describe('openStore', () => {
  it('opens the SQLite file in DATA_DIR when DATABASE_URL is not set', async () => {
    const store = await openStore({ dataDir: dir, databaseUrl: null }, logger);
    expect(store).toBeInstanceOf(SqliteStore);
    await store.ping();
    await store.close();
    expect((await stat(path.join(dir, DATABASE_FILE))).isFile()).toBe(true);
  });

  it('opens Postgres when DATABASE_URL is set, and writes nothing to DATA_DIR', async () => {
    const data = path.join(dir, 'data');
    const store = await openStore({ dataDir: data, databaseUrl: database.url }, logger);
    expect(store).toBeInstanceOf(PostgresStore);
    expect(await store.claim(['event:E1'], 1000)).toBe(true);
    await store.close();
    await expect(stat(data)).rejects.toThrow(/ENOENT/);
  });

  it('reports a database that cannot be reached by variable and host, without the password', async () => {
    const port = await freePort();
    const url = `postgresql://bot:${DATABASE_PASSWORD}@127.0.0.1:${port}/state`;
    const error = await openStore({ dataDir: dir, databaseUrl: url }, logger).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(
      /127\.0\.0\.1:\d+\/state \(DATABASE_URL\) cannot be reached/,
    );
    expect(String(error)).not.toContain(DATABASE_PASSWORD);
  });
});
