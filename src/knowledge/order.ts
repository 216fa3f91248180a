/** The order in which articles are listed and picked wherever "the newest" counts. */
import type { Article } from './types.js';

/** Newest published first; undated articles after dated ones, by title. */
export function byNewest(a: Article, b: Article): number {
  if (a.published !== b.published) return (b.published ?? '').localeCompare(a.published ?? '');
  return a.title.localeCompare(b.title);
}
