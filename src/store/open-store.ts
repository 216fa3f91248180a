/**
 * Opens the store the configuration asks for: Postgres when DATABASE_URL is
 * set, otherwise the SQLite file in DATA_DIR.
 */
import type { Config } from '../config.js';
import { PostgresStore, type StoreLogger } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

/**
 * Opens and migrates the configured store. Throws `StoreError` saying what
 * to check when it cannot be used.
 */
export async function openStore(
  config: Pick<Config, 'dataDir' | 'databaseUrl'>,
  logger: StoreLogger,
): Promise<Store> {
  if (config.databaseUrl) return PostgresStore.open(config.databaseUrl, { logger });
  return SqliteStore.open(config.dataDir);
}
