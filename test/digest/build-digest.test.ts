import { describe, expect, it } from 'vitest';
import { buildDigest, isUnchanged, snapshotOf } from '../../src/digest/build-digest.js';
import { loadKnowledge } from '../../src/knowledge/load-knowledge.js';

const { articles } = await loadKnowledge('test/fixtures/articles');
const grain = articles.find((a) => a.slug.startsWith('grain'));
const harbor = articles.find((a) => a.slug.startsWith('dock'));

describe('buildDigest', () => {
  it('leads with the key points of the newest article, each with its source', () => {
    const digest = buildDigest(articles, null, '2026-11-27');
    expect(digest.date).toBe('2026-11-27');
    // The dated article is the newest; the undated one follows.
    expect(digest.keyFacts.map((f) => f.text)).toEqual([
      'Negotiators from both countries resumed grain corridor talks in Geneva on Monday.',
      'The United Nations proposed a 90-day extension of the shipping corridor.',
      'Dock workers ended a week-long strike at the Odesa harbor.',
      'Wages will rise by 12 percent next year.',
    ]);
    expect(digest.keyFacts[0]?.source).toMatchObject({
      section: 'Key points',
      url: 'https://example.com/news/grain-corridor',
      line: 11,
    });
  });

  it('lists every article as added on a channel’s first digest', () => {
    const digest = buildDigest(articles, null, '2026-11-27');
    expect(digest.first).toBe(true);
    expect(digest.changes.map((c) => c.change)).toEqual(['added', 'added']);
    expect(isUnchanged(digest)).toBe(false);
  });

  it('lists only what was added or changed since the channel’s previous digest', () => {
    if (!grain || !harbor) throw new Error('fixture articles missing');
    const previous = { [grain.slug]: 'an-older-hash' };
    const digest = buildDigest(articles, previous, '2026-11-28');
    expect(digest.changes.map((c) => [c.title, c.change])).toEqual([
      [grain.title, 'updated'],
      [harbor.title, 'added'],
    ]);
  });

  it('is unchanged when the channel already received every article as it is', () => {
    const digest = buildDigest(articles, snapshotOf(articles), '2026-11-28');
    expect(digest.changes).toEqual([]);
    expect(isUnchanged(digest)).toBe(true);
    expect(digest.keyFacts.length).toBeGreaterThan(0);
  });

  it('caps the list of changes and counts the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      ...(grain as NonNullable<typeof grain>),
      slug: `a-${i}`,
      title: `Article ${i}`,
    }));
    const digest = buildDigest(many, {}, '2026-11-28');
    expect(digest.changes).toHaveLength(10);
    expect(digest.moreChanges).toBe(15);
  });
});
