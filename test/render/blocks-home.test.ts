import { describe, expect, it } from 'vitest';
import { renderHome } from '../../src/render/blocks-home.js';
import { article } from '../helpers/articles.js';
import { allText, limitViolations } from '../helpers/block-limits.js';

const usages = [{ usage: '/ceasefire <question>', description: 'answers' }];

describe('renderHome', () => {
  it('shows each article with its key facts, and how to ask', () => {
    const view = renderHome([article('Talks', { published: '2025-05-16' }, 8, 7)], { usages });
    const shown = allText(view);
    expect(view.type).toBe('home');
    expect(shown).toContain('*Talks*\n2025-05-16 · 8 facts\n• Talks: sentence 0.');
    expect(shown).toContain('• Talks: sentence 4.');
    expect(shown).not.toContain('• Talks: sentence 5.');
    expect(shown).toContain('How to ask');
    expect(shown).toContain('`/ceasefire &lt;question&gt;` — answers');
    expect(shown).not.toContain('digest');
  });

  it('adds a digest status section and feedback totals when given', () => {
    const view = renderHome([article('Talks')], {
      usages,
      digest: {
        title: 'Daily digest',
        lines: ['<#C0123ABCD> at 09:00 Europe/Kyiv', 'Next: &lt;tomorrow&gt;'],
      },
      feedback: { helpful: 3, unhelpful: 1 },
    });
    const shown = allText(view);
    expect(shown).toContain('Daily digest');
    // The feature gives mrkdwn it escaped itself, so channel links survive.
    expect(shown).toContain('<#C0123ABCD> at 09:00 Europe/Kyiv\nNext: &lt;tomorrow&gt;');
    expect(shown).toContain('Readers rated 3 answers helpful and 1 not helpful.');
  });

  it('stays within the Home tab’s 100 blocks for many articles', () => {
    const many = Array.from({ length: 300 }, (_, i) => article(`Article ${i}`));
    const view = renderHome(many, { usages, digest: { title: 'Daily digest', lines: ['on'] } });
    expect(limitViolations(view, 100)).toEqual([]);
    expect(allText(view)).toContain('more articles not shown here');
    expect(allText(view)).toContain('Daily digest');
  });
});
