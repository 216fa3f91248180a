/**
 * The daily digest's content, from the articles and what a channel last
 * received: the key facts of the newest articles, and the articles added or
 * changed since that channel's previous digest. Pure: no clock, no Slack.
 */

import type { Article } from '../article.js';
import { byNewest } from '../article.js';
import type { Digest, DigestChange, DigestFact } from '../digest-types.js';
import { sourceOf } from '../search/types.js';
import type { ReceivedSnapshot } from '../store/store.js';

/** Limits that keep a digest readable (and well within Slack's block limits). */
export const DIGEST_LIMITS = { articles: 3, factsPerArticle: 5, facts: 10, changes: 10 } as const;

/** The snapshot of a set of articles. */
export function snapshotOf(articles: readonly Article[]): ReceivedSnapshot {
  return Object.fromEntries(articles.map((a) => [a.slug, a.hash]));
}

/**
 * Builds the digest for one channel. `previous` is the snapshot of the
 * channel's last digest, or null when it never had one (then every article
 * counts as new).
 */
export function buildDigest(
  articles: readonly Article[],
  previous: ReceivedSnapshot | null,
  date: string,
): Digest {
  const newest = [...articles].sort(byNewest);
  const keyFacts: DigestFact[] = [];
  for (const article of newest.slice(0, DIGEST_LIMITS.articles)) {
    // An article without key points is summed up by its opening sentences.
    const points = article.keyPoints.length ? article.keyPoints : article.sentences.slice(0, 2);
    for (const s of points.slice(0, DIGEST_LIMITS.factsPerArticle)) {
      if (keyFacts.length < DIGEST_LIMITS.facts) keyFacts.push({ text: s.text, source: sourceOf(s) });
    }
  }
  const changes: DigestChange[] = [];
  for (const article of newest) {
    const before = previous?.[article.slug];
    if (before === article.hash) continue;
    changes.push({
      title: article.title,
      url: article.url,
      published: article.published,
      change: before === undefined ? 'added' : 'updated',
    });
  }
  return {
    date,
    keyFacts,
    changes: changes.slice(0, DIGEST_LIMITS.changes),
    moreChanges: Math.max(0, changes.length - DIGEST_LIMITS.changes),
    first: previous === null,
    snapshot: snapshotOf(articles),
  };
}

/** Whether a digest has nothing new for its channel. */
export function isUnchanged(digest: Digest): boolean {
  return !digest.first && digest.changes.length === 0;
}
