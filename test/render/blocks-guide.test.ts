import { describe, expect, it } from 'vitest';
import { renderHelp, renderSources } from '../../src/render/blocks-guide.js';
import { article } from '../helpers/articles.js';
import { allText, limitViolations } from '../helpers/block-limits.js';

describe('renderHelp', () => {
  const usages = [
    { usage: '/ceasefire <question>', description: 'answers' },
    { usage: '/ceasefire sources', description: 'the articles' },
  ];

  it('lists every usage (escaped), example commands and topics', () => {
    const message = renderHelp(usages, ['Delegations', 'A & B']);
    const shown = allText(message);
    expect(shown).toContain('`/ceasefire &lt;question&gt;` — answers');
    expect(shown).toContain('`/ceasefire sources` — the articles');
    expect(shown).toContain("• `/ceasefire Who leads Russia's delegation?`");
    expect(shown).toContain('Topics: Delegations · A &amp; B');
    expect(shown).toContain('mention me in a channel');
    expect(limitViolations(message)).toEqual([]);
  });
});

describe('renderSources', () => {
  it('lists articles newest first with date, number of facts and a link when known', () => {
    const message = renderSources([
      article('Older', { published: '2025-05-01' }, 3),
      article('Newer', { published: '2025-05-16', url: 'https://news.example/n', source: 'Wire' }, 1),
      article('Opinion', { kind: 'commentary' }, 2),
    ]);
    const sections = message.blocks.filter((b) => b.type === 'section').map((b) => allText(b));
    expect(sections).toEqual([
      '*<https://news.example/n|Newer>*\n2025-05-16 · 1 fact · Wire',
      '*Older*\n2025-05-01 · 3 facts',
      '*Opinion*\nundated · 2 facts · :speech_balloon: commentary',
    ]);
    expect(limitViolations(message)).toEqual([]);
  });

  it('stays within 50 blocks for many articles, saying how many are not shown', () => {
    const many = Array.from({ length: 120 }, (_, i) => article(`Article ${i}`, { published: '2025-01-01' }));
    const message = renderSources(many);
    expect(limitViolations(message)).toEqual([]);
    expect(allText(message)).toContain('…and 72 more articles not shown here.');
  });

  it('says when no articles are loaded', () => {
    expect(allText(renderSources([]))).toContain('No articles are loaded yet');
  });
});
