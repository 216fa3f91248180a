/**
 * The knowledge the bot serves: the loaded articles, their problems, and the
 * index over them. Answers always come from one complete index; `replace`
 * builds the next index aside and swaps it in with a single assignment, so
 * a question is never answered from a half-built one.
 */
import { loadKnowledge } from '../knowledge/load-knowledge.js';
import type { Article, Knowledge, KnowledgeProblem } from '../knowledge/types.js';
import type { SearchOptions } from './options.js';
import { answerQuestion } from './rank.js';
import { AnalysisCache, SentenceIndex } from './sentence-index.js';
import type { Answer, AnswerRequest } from './types.js';

/** Articles, problems and the index built over them. */
export class KnowledgeBase {
  private current: { index: SentenceIndex; problems: readonly KnowledgeProblem[] };
  private readonly cache = new AnalysisCache();

  constructor(
    knowledge: Knowledge,
    private readonly options: Partial<SearchOptions> = {},
  ) {
    this.current = {
      index: new SentenceIndex(knowledge.articles, options, this.cache),
      problems: knowledge.problems,
    };
  }

  /** Loads a knowledge folder and indexes it. Bad files become problems; they never throw. */
  static async load(knowledgeDir: string, options: Partial<SearchOptions> = {}): Promise<KnowledgeBase> {
    return new KnowledgeBase(await loadKnowledge(knowledgeDir), options);
  }

  /** Answers a question from the current index. */
  answer(question: string, request?: AnswerRequest): Answer {
    return answerQuestion(this.current.index, question, request);
  }

  /** The articles in service. */
  get articles(): readonly Article[] {
    return this.current.index.articles;
  }

  /** Problems found when the knowledge was last loaded. */
  get problems(): readonly KnowledgeProblem[] {
    return this.current.problems;
  }

  /** Number of indexed sentences. */
  get sentenceCount(): number {
    return this.current.index.sentences.length;
  }

  /** Indexes new knowledge aside, then swaps it in at once. Unchanged articles are not analysed again. */
  replace(knowledge: Knowledge): void {
    const index = new SentenceIndex(knowledge.articles, this.options, this.cache);
    this.current = { index, problems: knowledge.problems };
  }
}
