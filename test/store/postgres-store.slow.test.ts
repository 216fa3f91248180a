/**
 * The Postgres store, on a real server (see test/helpers/postgres-server.ts):
 * the shared store contract, and what only a server database has: schema
 * steps recorded in a table, refusals that name DATABASE_URL and never its
 * password, and connections that break and come back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { DATABASE_PASSWORD } from '../helpers/credentials.js';
import { freePort } from '../helpers/loopback.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { admin, startTestPostgres, type TestPostgres } from '../helpers/postgres-server.js';
import { LEGACY_DIGEST_ROWS, LEGACY_LAST, LEGACY_SUBSCRIPTION } from './legacy-digest.js';
import { storeContract } from './store-contract.js';

describe('the store contract', () => {
  // One migrated database for the file, emptied before each test: making one per test would take most of the
  // time. Stores get a few connections each: enough for real races, few to open (each one starts a backend).
  let shared: Promise<TestDatabase> | undefined;
  const migrated = async () => {
    const made = await createTestDatabase();
    await (await PostgresStore.open(made.url)).close();
    return made;
  };
  afterAll(async () => {
    if (shared) await (await shared).drop();
  });
  storeContract(async ({ empty }) => {
    if (empty) {
      const database = await createTestDatabase();
      return {
        open: (now) => PostgresStore.open(database.url, { now, maxConnections: 2 }),
        dispose: () => database.drop(),
      };
    }
    shared ??= migrated();
    const database = await shared;
    await emptyTables(database);
    return {
      open: (now) => PostgresStore.open(database.url, { now, maxConnections: 2 }),
      // The shared database is dropped after the file's last test.
      dispose: async () => undefined,
    };
  });
});

/** Deletes every row but the schema's record, leaving the database as a store just created it. */
async function emptyTables(database: TestDatabase): Promise<void> {
  await admin(
    database.url,
    `DO $$ DECLARE t text; BEGIN
       FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
       LOOP EXECUTE format('DELETE FROM %I', t); END LOOP;
     END $$`,
  );
}

describe('on a database of its own', () => {
  let database: TestDatabase;
  let stores: PostgresStore[];
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) };

  beforeEach(async () => {
    database = await createTestDatabase();
    stores = [];
    warnings.length = 0;
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await database.drop();
  });

  async function open(url = database.url, options: Parameters<typeof PostgresStore.open>[1] = {}) {
    const store = await PostgresStore.open(url, { logger, ...options });
    stores.push(store);
    return store;
  }

  /** The error `promise` rejects with. */
  async function failure(promise: Promise<unknown>): Promise<StoreError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }

  /** Ends every server connection to the test database, as a database restart or failover would. */
  const dropConnections = () =>
    admin(
      new URL('/postgres', database.url).toString(),
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [database.name],
    );

  describe('schema', () => {
    it('records each step in schema_migrations and runs only newer steps on the next start', async () => {
      await (await open()).close();
      const extra = {
        version: MIGRATIONS.length + 1,
        name: 'test table',
        sqlite: '',
        postgres: 'CREATE TABLE extra (id INTEGER);',
      };
      await open(database.url, { migrations: [...MIGRATIONS, extra] });
      const { rows } = await admin(
        database.url,
        'SELECT version, name FROM schema_migrations ORDER BY version',
      );
      expect(rows).toEqual([...MIGRATIONS, extra].map(({ version, name }) => ({ version, name })));
      expect((await admin(database.url, "SELECT to_regclass('extra') AS t")).rows).toEqual([{ t: 'extra' }]);
    });

    it('runs each step once when many stores start on one empty database together', async () => {
      const opened = await Promise.all(Array.from({ length: 8 }, () => open()));
      expect(opened).toHaveLength(8);
      const { rows } = await admin(database.url, 'SELECT count(*)::int AS n FROM schema_migrations');
      expect(rows).toEqual([{ n: MIGRATIONS.length }]);
    });

    it('gives a schema step all the time it needs, beyond the limit of everyday statements', async () => {
      const slow = {
        version: MIGRATIONS.length + 1,
        name: 'slow step',
        sqlite: '',
        postgres: 'SELECT pg_sleep(0.5)',
      };
      const store = await open(database.url, { statementTimeoutMs: 100, migrations: [...MIGRATIONS, slow] });
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it("upgrades a digest from before workspaces: its rows wait under team '' for the workspace to adopt them", async () => {
      await (await open(database.url, { migrations: MIGRATIONS.slice(0, 3) })).close();
      await admin(database.url, LEGACY_DIGEST_ROWS);
      const [first, second] = await Promise.all([open(), open()]);
      expect(await first.digestSubscriptions('')).toEqual([LEGACY_SUBSCRIPTION]);
      expect(await second.lastDigest({ teamId: '', channelId: 'C0LEGACY1' })).toEqual(LEGACY_LAST);
      // Two replicas starting together both adopt: the rows move once.
      const adopted = await Promise.all(
        [first, second].map((store) => store.adoptDigests({ teamId: 'T0001', enterpriseId: 'E0001' })),
      );
      expect(adopted.sort()).toEqual([0, 2]);
      expect(await first.digestSubscriptions('T0001')).toEqual([
        { ...LEGACY_SUBSCRIPTION, teamId: 'T0001', enterpriseId: 'E0001' },
      ]);
      expect(await second.lastDigest({ teamId: 'T0001', channelId: 'C0LEGACY1' })).toEqual({
        ...LEGACY_LAST,
        entry: { ...LEGACY_LAST.entry, teamId: 'T0001' },
      });
      // The new key is the primary key: the same channel may now be subscribed in another workspace.
      const { rows } = await admin(
        database.url,
        `SELECT a.attname AS column FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
         WHERE i.indrelid = 'digest_ledger'::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
      );
      expect(rows.map((r) => r.column)).toEqual(['team_id', 'channel_id', 'local_date']);
    });

    it('refuses a database from a newer version of the bot', async () => {
      await (await open()).close();
      await admin(database.url, "INSERT INTO schema_migrations (version, name) VALUES (99, 'future')");
      const error = await failure(open());
      expect(error.message).toMatch(/schema version 99, newer than this version of the bot knows/);
    });
  });

  describe('claims', () => {
    it('deletes expired claims as time passes', async () => {
      let clock = 1_700_000_000_000;
      const store = await open(database.url, { now: () => clock });
      for (let i = 0; i < 20; i++) await store.claim([`event:${i}`], 1000);
      clock += 120_000;
      await store.claim(['event:new'], 1000);
      expect((await admin(database.url, 'SELECT key FROM claims')).rows).toEqual([{ key: 'event:new' }]);
    });
  });

  describe('refusals at start', () => {
    it('names DATABASE_URL and the host of a server that is not there, never the password', async () => {
      const port = await freePort();
      const error = await failure(
        open(`postgres://bot:${DATABASE_PASSWORD}@127.0.0.1:${port}/ceasefire`, { connectTimeoutMs: 2000 }),
      );
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.message).toContain(`127.0.0.1:${port}/ceasefire (DATABASE_URL) cannot be reached`);
      expect(error.message).toMatch(/check that Postgres is running/);
      expect(error.message).not.toContain(DATABASE_PASSWORD);
    });

    it('says to check the user and password when the login is refused', async () => {
      const url = new URL(database.url);
      url.password = 'not-the-password';
      const error = await failure(open(url.toString()));
      expect(error.message).toMatch(/refused the login .*check the user name and password in DATABASE_URL/);
      expect(error.message).not.toContain('not-the-password');
    });

    it('says to create a database that does not exist', async () => {
      const error = await failure(open(new URL('/no_such_database', database.url).toString()));
      expect(error.message).toMatch(/no_such_database \(DATABASE_URL\) does not exist .*create it/);
      expect(error.message).not.toContain(DATABASE_PASSWORD);
    });
  });

  describe('lost connections', () => {
    it('survives its connections being cut, idle or lent out, and carries on', async () => {
      const store = await open();
      const other = await open();
      await store.claim(['event:warm-up'], 60_000);
      let release!: () => void;
      // A lock holds a connection for as long as its work runs.
      const held = store.withLock('token:T1', async () => {
        await new Promise<void>((resolve) => (release = resolve));
        return 'done';
      });
      await sleep(50);
      await dropConnections();
      // The lock died with its connection, so another replica may take it now.
      expect(await other.withLock('token:T1', async () => 'taken', { waitMs: 5000 })).toBe('taken');
      release();
      expect(await held).toBe('done');
      expect(warnings.join('\n')).toMatch(/lock "token:T1" was lost while its work ran/);
      // Broken connections were dropped from the pool: the next calls work on new ones.
      expect(await store.claim(['event:after'], 60_000)).toBe(true);
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });

  describe('a database that goes away and comes back', () => {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startTestPostgres();
    });
    afterAll(() => server?.destroy());

    it('fails calls with a StoreError while it is down, and recovers when it returns', async () => {
      const own = await createTestDatabase({ server });
      const store = await open(own.url, { connectTimeoutMs: 2000 });
      expect(await store.claim(['event:before'], 60_000)).toBe(true);
      await server.pause();
      const down = await failure(store.claim(['event:during'], 60_000));
      expect(down.message).toMatch(/cannot be reached/);
      expect(down.message).not.toContain(DATABASE_PASSWORD);
      await failure(store.ping());
      await server.start();
      expect(await store.claim(['event:after'], 60_000)).toBe(true);
      // What was claimed before the outage is still claimed.
      expect(await store.claim(['event:before'], 60_000)).toBe(false);
      await store.close();
      stores = stores.filter((s) => s !== store);
    });
  });
});
