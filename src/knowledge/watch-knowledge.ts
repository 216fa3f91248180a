/**
 * Watches a knowledge folder and calls back, debounced, when anything in it
 * changes: an editor's save, a copy of many files, a `git pull`. The
 * callback decides what changed (it rescans the folder), so events are only
 * a signal and a missed or merged one does no harm.
 *
 * Each folder is watched on its own with `fs.watch`, which reports its
 * files being added, changed, renamed or removed, and its subfolders
 * appearing (they are then watched too) or going. Not `fs.watch(…,
 * { recursive: true })`: on Linux, Node 20 emulates it in JavaScript and
 * misses files in folders created after the watch starts. And not a watch
 * per file: a folder of thousands of articles costs one watch, where one per
 * file held about 5 KB of memory each. When the watched folder itself is
 * deleted, it is checked until it is back, then watched anew.
 */
import { type FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
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

  // The folders watched, by absolute path.
  const watches = new Map<string, FSWatcher>();

  const unwatch = (dir: string) => {
    for (const [watched, folderWatch] of watches) {
      if (watched === dir || watched.startsWith(dir + path.sep)) {
        folderWatch.close();
        watches.delete(watched);
      }
    }
  };

  /** Watches a folder and, below it, every subfolder that is not hidden. */
  const watchFolder = async (dir: string): Promise<void> => {
    if (closed || watches.has(dir)) return;
    let folderWatch: FSWatcher;
    try {
      folderWatch = watch(dir, (event, name) => void changed(dir, event, name));
    } catch (error) {
      // Gone already, or unreadable: the rescan this leads to reports what it finds.
      if (dir !== root) schedule(undefined, true);
      else logger.warn(`Watching ${knowledgeDir}: ${describe(error)}`);
      return;
    }
    folderWatch.on('error', (error) => {
      logger.warn(`Watching ${knowledgeDir}: ${describe(error)}`);
      schedule(undefined, true);
    });
    watches.set(dir, folderWatch);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries)
      if (entry.isDirectory() && !isHidden(entry.name)) await watchFolder(path.join(dir, entry.name));
  };

  /** What a folder's watch reported about one of its entries (or the folder itself, when it is deleted). */
  const changed = async (dir: string, event: string, name: string | null) => {
    if (closed) return;
    if (!name) {
      schedule(undefined, true);
      return;
    }
    // The folder itself deleted: its own watch says so, under its own name (which may be hidden).
    if (!(await isFolder(root))) {
      if (closed || !watches.has(root)) return;
      logger.warn(`Knowledge folder ${knowledgeDir} was removed: serving what is loaded until it is back`);
      unwatch(root);
      waitForFolder();
      return;
    }
    if (isHidden(name)) return;
    const file = path.join(dir, name);
    if (watches.has(file)) {
      // A watched subfolder: the files it held go with it.
      if (!(await isFolder(file))) {
        unwatch(file);
        schedule(file, true);
      }
      return;
    }
    const isNewFolder =
      event === 'rename' &&
      (await stat(file).then(
        (s) => s.isDirectory(),
        () => false,
      ));
    if (isNewFolder) {
      // A folder moved or copied in holds files no event names one by one.
      await watchFolder(file);
      schedule(file, true);
    } else {
      schedule(file);
    }
  };

  const start = async (): Promise<void> => {
    if (!(await isFolder(root))) {
      logger.warn(`Knowledge folder ${knowledgeDir} is missing: serving what is loaded until it is back`);
      waitForFolder();
      return;
    }
    await watchFolder(root);
  };

  const ready = start();
  return {
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      if (recheck) clearTimeout(recheck);
      await ready;
      unwatch(root);
      await running;
    },
  };
}

/** Hidden files and folders are editors' temporaries and the like, never articles. */
function isHidden(name: string): boolean {
  return name.startsWith('.');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
