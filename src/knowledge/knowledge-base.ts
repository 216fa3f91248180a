/**
 * The knowledge the bot serves: the loaded articles, their problems, and the
 * index over them. Answers always come from one complete index: a reload
 * builds the next index aside, a slice at a time so questions keep being
 * answered meanwhile, and swaps it in with a single assignment, so a
 * question is never answered from a half-built one.
 *
 * A knowledge base loaded from a folder remembers every file's last good
 * version. A reload rereads only files whose size or modification time
 * changed, and re-analyses only articles whose content changed. A file that
 * became invalid or unreadable keeps its last good version in service; a
 * folder that vanished or came back empty keeps everything in service.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Article } from '../article.js';
import { commonness } from '../search/english.js';
import type { SearchOptions } from '../search/options.js';
import { answerQuestion } from '../search/rank.js';
import { AnalysisCache, SentenceIndex } from '../search/sentence-index.js';
import type { Answer, AnswerRequest } from '../search/types.js';
import {
  displayPath,
  dropDuplicates,
  type FileStamp,
  isArticlePath,
  isFolder,
  type LoadedFile,
  listKnowledgeFiles,
  loadArticleFile,
  mapLimit,
} from './load-knowledge.js';
import type { Knowledge, KnowledgeProblem } from './types.js';
import {
  type KnowledgeChange,
  type KnowledgeLogger,
  type KnowledgeWatcher,
  watchKnowledge,
} from './watch-knowledge.js';

/** One file's part of the knowledge: the version in service and what is wrong with the file now. */
interface FileState {
  /** The stamp of the version last read, good or not; null when it could not be read. */
  stamp: FileStamp | null;
  /** The last good version, served even while the file is invalid or unreadable. */
  article: Article | null;
  problems: KnowledgeProblem[];
}

/** What a reload found and did. */
export interface ReloadReport {
  /** Whether a new index was swapped in. */
  changed: boolean;
  added: string[];
  updated: string[];
  removed: string[];
  /** Files that are invalid or unreadable now; their last good version, if any, stays in service. */
  failed: string[];
}

/** Files stat-ed at once during a rescan. */
const STATS_IN_FLIGHT = 32;

const SILENT: KnowledgeLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Articles, problems and the index built over them. */
export class KnowledgeBase {
  private current: { index: SentenceIndex; problems: readonly KnowledgeProblem[] };
  private readonly cache: AnalysisCache;
  /** The folder the knowledge comes from, with each file's state by absolute path; null when given in memory. */
  private folder: { dir: string; files: Map<string, FileState>; problems: KnowledgeProblem[] } | null = null;
  private reloading: Promise<ReloadReport> | null = null;
  private queued: Promise<ReloadReport> | null = null;

  constructor(
    knowledge: Knowledge,
    private readonly options: Partial<SearchOptions> = {},
    cache = new AnalysisCache(),
  ) {
    this.cache = cache;
    this.current = {
      index: new SentenceIndex(knowledge.articles, options, this.cache),
      problems: knowledge.problems,
    };
  }

  /** Loads a knowledge folder and indexes it. Bad files become problems; they never throw. */
  static async load(knowledgeDir: string, options: Partial<SearchOptions> = {}): Promise<KnowledgeBase> {
    const cache = new AnalysisCache();
    const listing = await listKnowledgeFiles(knowledgeDir);
    const loaded = listing.files.map((file) => loadArticleFile(knowledgeDir, file));
    const files = new Map<string, FileState>();
    listing.files.forEach((file, i) => {
      files.set(file, stateOf(loaded[i] as LoadedFile, null));
    });
    const folder = { dir: knowledgeDir, files, problems: listing.problems };
    const kb = new KnowledgeBase(knowledgeOf(folder), options, cache);
    kb.folder = folder;
    cache.forgetReadings();
    kb.warmUp();
    return kb;
  }

  /**
   * Readies the question path before the first person asks: loads the English word lists and
   * runs a question (and a misspelt one) made from the knowledge's own first sentence, so that
   * compiling the code and opening the word files do not fall on someone's question.
   */
  private warmUp(): void {
    commonness('the');
    const words = this.articles[0]?.sentences[0]?.text.split(/\s+/).slice(0, 6) ?? [];
    if (words.length === 0) return;
    this.answer(words.join(' '));
    this.answer(
      words.map((w) => (w.length > 5 ? `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}` : w)).join(' '),
    );
  }

  /** Answers a question from the current index. */
  answer(question: string, request?: AnswerRequest): Answer {
    return answerQuestion(this.current.index, question, request);
  }

  /** The articles in service. */
  get articles(): readonly Article[] {
    return this.current.index.articles;
  }

  /** Problems found when the knowledge was last loaded or reloaded. */
  get problems(): readonly KnowledgeProblem[] {
    return this.current.problems;
  }

  /** Number of indexed sentences. */
  get sentenceCount(): number {
    return this.current.index.sentences.length;
  }

  /**
   * Rereads the folder the knowledge was loaded from and swaps in a new
   * index if anything changed. Reloads never overlap: one asked for during
   * another runs after it.
   */
  reload(logger: KnowledgeLogger = SILENT, change?: KnowledgeChange): Promise<ReloadReport> {
    if (!this.reloading) {
      this.reloading = this.rescan(logger, change).finally(() => {
        this.reloading = null;
      });
      return this.reloading;
    }
    // What changed meanwhile is not known precisely once merged: the queued reload rescans everything.
    this.queued ??= this.reloading.then(() => {
      this.queued = null;
      return this.reload(logger);
    });
    return this.queued;
  }

  /**
   * Watches the folder the knowledge was loaded from and reloads on changes
   * (see `watchKnowledge`). Reloads and their problems are logged.
   */
  watch(options: { logger: KnowledgeLogger; debounceMs?: number }): KnowledgeWatcher {
    const folder = this.requireFolder();
    return watchKnowledge(folder.dir, (change) => this.reload(options.logger, change), options);
  }

  private requireFolder() {
    if (!this.folder)
      throw new Error('this knowledge base was not loaded from a folder, so it cannot be reloaded');
    return this.folder;
  }

  private async rescan(logger: KnowledgeLogger, change?: KnowledgeChange): Promise<ReloadReport> {
    const folder = this.requireFolder();
    const report: ReloadReport = { changed: false, added: [], updated: [], removed: [], failed: [] };
    const started = performance.now();
    const root = path.resolve(folder.dir);
    const refresh = async (file: string, next: Map<string, FileState>, keepIfGone: boolean) => {
      const state = await this.refreshFile(file, report, logger);
      if (state) next.set(file, state);
      else if (keepIfGone) next.set(file, folder.files.get(file) as FileState);
    };
    let next: Map<string, FileState>;
    let problems = folder.problems;
    const paths = change && !change.full ? [...new Set(change.paths.map((p) => path.resolve(p)))] : null;
    if (paths?.every((p) => isArticlePath(p) && p.startsWith(root + path.sep))) {
      // Only the files the watcher saw change: the rest of a large folder is not even looked at.
      if (!(await isFolder(root))) return this.keepAll(folder.dir, 'cannot be read', logger, report);
      next = new Map(folder.files);
      for (const file of paths) next.delete(file);
      await mapLimit(paths, STATS_IN_FLIGHT, (file) => refresh(file, next, false));
    } else {
      const listing = await listKnowledgeFiles(folder.dir);
      if (listing.unreadable.includes(root))
        return this.keepAll(folder.dir, 'cannot be read', logger, report);
      problems = listing.problems;
      next = new Map<string, FileState>();
      // Files below a folder that cannot be read now are kept as they were, not taken for deleted.
      const hidden = (file: string) => listing.unreadable.some((dir) => file.startsWith(dir + path.sep));
      for (const [file, state] of folder.files) if (hidden(file)) next.set(file, state);
      await mapLimit(listing.files, STATS_IN_FLIGHT, (file) => refresh(file, next, hidden(file)));
    }
    for (const [file, state] of folder.files) {
      if (!next.has(file) && state.article) report.removed.push(displayPath(folder.dir, file));
    }
    const candidate = { dir: folder.dir, files: sortByPath(next), problems };
    const knowledge = knowledgeOf(candidate);
    if (report.added.length + report.updated.length + report.removed.length === 0) {
      // Problems may still have changed (a file broke, and its last good version serves on).
      folder.files = candidate.files;
      this.current = { ...this.current, problems: knowledge.problems };
      return report;
    }
    if (knowledge.articles.length === 0 && this.articles.length > 0)
      return this.keepAll(folder.dir, 'has no articles now', logger, report);
    const index = await SentenceIndex.build(knowledge.articles, this.options, this.cache);
    this.folder = candidate;
    this.current = { index, problems: knowledge.problems };
    report.changed = true;
    const summary = [
      report.added.length && `${report.added.length} added`,
      report.updated.length && `${report.updated.length} changed`,
      report.removed.length && `${report.removed.length} removed`,
    ].filter(Boolean);
    logger.info(
      `Reloaded ${folder.dir}: ${summary.join(', ')}; now ${knowledge.articles.length} article(s), ${index.sentences.length} sentences (${Math.round(performance.now() - started)} ms)`,
    );
    return report;
  }

  /**
   * Reads a file again if its stamp changed; returns its new state, or null
   * when it is gone. A version that cannot be served is reported, and the
   * last good one stays.
   */
  private async refreshFile(
    file: string,
    report: ReloadReport,
    logger: KnowledgeLogger,
  ): Promise<FileState | null> {
    const folder = this.requireFolder();
    const known = folder.files.get(file);
    const stamp = await stat(file).then(
      (s) => ({ mtimeMs: s.mtimeMs, size: s.size }),
      () => null,
    );
    if (known && stamp && known.stamp && sameStamp(known.stamp, stamp)) return known;
    const loaded = loadArticleFile(folder.dir, file);
    if (loaded.readError === 'ENOENT') return null;
    const state = stateOf(loaded, known ?? null);
    const shown = displayPath(folder.dir, file);
    if (!loaded.article) {
      report.failed.push(shown);
      for (const p of loaded.problems.filter((p) => p.severity === 'error')) {
        const kept = state.article ? 'its last good version stays in service' : 'it is not served';
        logger.warn(`${p.line > 0 ? `${p.file}:${p.line}` : p.file}: ${p.message} (${kept})`);
      }
    } else if (!known?.article) report.added.push(shown);
    else if (known.article.hash !== loaded.article.hash) report.updated.push(shown);
    return state;
  }

  private keepAll(dir: string, why: string, logger: KnowledgeLogger, report: ReloadReport): ReloadReport {
    logger.warn(
      `Knowledge folder ${dir} ${why}: still serving the ${this.articles.length} article(s) loaded`,
    );
    return report;
  }
}

/** A file's new state from a read of it: a good version replaces the last good one, a bad one does not. */
function stateOf(loaded: LoadedFile, known: FileState | null): FileState {
  return {
    stamp: loaded.stamp ?? null,
    article: loaded.article ?? known?.article ?? null,
    problems: loaded.problems,
  };
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.mtimeMs === b.mtimeMs && a.size === b.size;
}

function sortByPath(files: Map<string, FileState>): Map<string, FileState> {
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The knowledge of a folder's files: the articles in service, in path order, and every problem. */
function knowledgeOf(folder: { files: Map<string, FileState>; problems: KnowledgeProblem[] }): Knowledge {
  const states = [...folder.files.values()];
  const unique = dropDuplicates(states.flatMap((s) => (s.article ? [s.article] : [])));
  return {
    articles: unique.articles,
    problems: [...folder.problems, ...states.flatMap((s) => s.problems), ...unique.problems],
  };
}
