/**
 * Watches a knowledge folder and calls back, debounced, when anything in it
 * changes: an editor's save, a copy of many files, a `git pull`. The
 * callback decides what changed (it rescans the folder), so events are only
 * a signal and a missed or merged one does no harm.
 *
 * chokidar rather than `fs.watch(…, { recursive: true })`: on Linux, Node 20
 * emulates recursive watching in JavaScript and misses files in folders
 * created after the watch starts; chokidar watches new subfolders and
 * reports an editor's write-to-temporary-then-rename as one change. Neither
 * survives the watched folder itself being deleted and created again, so
 * when it disappears the folder is checked until it is back, then watched
 * anew.
 */
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { isFolder } from './load-knowledge.js';

/** Where the watcher and the reload report: `{ info, warn, error }`, as the bot's logger has. */
export interface KnowledgeLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** What changed since the last call: files added, changed or removed, or possibly anything (`full`). */
export interface KnowledgeChange {
  paths: string[];
  /** A folder appeared or vanished, or the watch restarted: rescan the whole folder. */
  full: boolean;
}

/** Options of `watchKnowledge`. */
export interface WatchOptions {
  logger: KnowledgeLogger;
  /** Quiet time after the last change before calling back: a burst of changes is one reload. */
  debounceMs?: number;
  /** Longest wait while changes keep coming, so a steady stream still gets reloads. */
  maxWaitMs?: number;
  /** How often a missing folder is checked for. */
  recheckMs?: number;
}

/** A running watch. */
export interface KnowledgeWatcher {
  /** Resolves once the folder is watched (or found missing and being checked for). */
  ready: Promise<void>;
  /** Stops watching; waits for a callback in progress. */
  close(): Promise<void>;
}

/**
 * Calls `onChange` after changes below `knowledgeDir`, at most one call at a
 * time: changes during a call lead to one more call after it.
 */
export function watchKnowledge(
  knowledgeDir: string,
  onChange: (change: KnowledgeChange) => Promise<unknown>,
  options: WatchOptions,
): KnowledgeWatcher {
  const { logger, debounceMs = 250, maxWaitMs = 1000, recheckMs = 1000 } = options;
  const root = path.resolve(knowledgeDir);
  let watcher: FSWatcher | null = null;
  let timer: NodeJS.Timeout | null = null;
  let recheck: NodeJS.Timeout | null = null;
  let firstPending = 0;
  let running: Promise<void> | null = null;
  let pending: KnowledgeChange = { paths: [], full: false };
  let closed = false;

  const fire = () => {
    timer = null;
    firstPending = 0;
    // Changes seen during a call wait for it to end; they are called back then.
    if (running) return;
    const change = pending;
    pending = { paths: [], full: false };
    running = onChange(change)
      .then(
        () => undefined,
        (error: unknown) => logger.error(`Reloading ${knowledgeDir} failed: ${describe(error)}`),
      )
      .finally(() => {
        running = null;
        if (pending.full || pending.paths.length) schedule();
      });
  };

  const schedule = (file?: string, full = false) => {
    if (closed) return;
    if (file) pending.paths.push(file);
    pending.full ||= full;
    const now = Date.now();
    firstPending ||= now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, firstPending + maxWaitMs - now)));
  };

  const waitForFolder = () => {
    recheck = setTimeout(async () => {
      recheck = null;
      if (closed) return;
      if (await isFolder(root)) {
        logger.info(`Knowledge folder ${knowledgeDir} is back: watching it again`);
        await start();
        schedule(undefined, true);
      } else {
        waitForFolder();
      }
    }, recheckMs);
  };

  const start = async (): Promise<void> => {
    if (!(await isFolder(root))) {
      logger.warn(`Knowledge folder ${knowledgeDir} is missing: serving what is loaded until it is back`);
      waitForFolder();
      return;
    }
    const current = watch(root, {
      ignoreInitial: true,
      // Hidden files are editors' temporaries and never articles.
      ignored: (file: string) => file !== root && path.basename(file).startsWith('.'),
    });
    watcher = current;
    current.on('all', (event, file) => {
      if (event === 'unlinkDir' && path.resolve(file) === root) {
        logger.warn(`Knowledge folder ${knowledgeDir} was removed: serving what is loaded until it is back`);
        watcher = null;
        void current.close();
        waitForFolder();
        return;
      }
      // A folder moved in or out holds files no event names one by one.
      schedule(file, event === 'addDir' || event === 'unlinkDir');
    });
    current.on('error', (error) => {
      logger.warn(`Watching ${knowledgeDir}: ${describe(error)}`);
      schedule(undefined, true);
    });
    await new Promise<void>((resolve) => current.once('ready', resolve));
    if (closed) await current.close();
  };

  const ready = start();
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (recheck) clearTimeout(recheck);
      await ready;
      await watcher?.close();
      await running;
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
