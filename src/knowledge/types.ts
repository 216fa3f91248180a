import type { Article } from '../article.js';

/** A problem with one knowledge file, located to a line, with what to do. */
export interface KnowledgeProblem {
  file: string;
  line: number;
  message: string;
  /** `error`: the file is not served (its last good version is, if any). `warning`: served anyway. */
  severity: 'error' | 'warning';
}

/** The result of reading a knowledge folder: what loaded and what did not. */
export interface Knowledge {
  articles: Article[];
  problems: KnowledgeProblem[];
}
