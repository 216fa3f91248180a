import { describe, expect, it } from 'vitest';
import {
  clampPlain,
  cutMrkdwn,
  escapeText,
  plainFromSlack,
  slackLink,
  withoutMention,
} from '../../src/render/escape.js';

describe('escapeText', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeText('<!channel> & <@U1> "quoted" \'s *bold*')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U1&gt; "quoted" \'s *bold*',
    );
  });

  it('escapes an already escaped entity again, so it shows as typed', () => {
    expect(escapeText('&lt;')).toBe('&amp;lt;');
  });
});

describe('plainFromSlack', () => {
  it.each([
    ['<!channel> hi', '@channel hi'],
    ['<!here|here> hi', '@here hi'],
    ['<!everyone>', '@everyone'],
    ['<@U123>', '@U123'],
    ['<@U123|ann>', '@ann'],
    ['<#C123|general>', '#general'],
    ['<#C123>', '#C123'],
    ['<!subteam^S1|@team>', '@team'],
    ['<!date^1392734382^{date}|Feb 18, 2014>', 'Feb 18, 2014'],
    ['<http://x.example|y>', 'y (http://x.example)'],
    ['<http://x.example>', 'http://x.example'],
    ['a &lt; b &amp;&amp; c &gt; d', 'a < b && c > d'],
    ['&amp;lt;', '&lt;'],
  ])('%s → %s', (slack, plain) => {
    expect(plainFromSlack(slack)).toBe(plain);
  });

  it('round-trips through escapeText to text that cannot ping or link', () => {
    const echoed = escapeText(plainFromSlack('&lt;!channel&gt; <!here> <@U1> <http://x|y>'));
    expect(echoed).not.toMatch(/<[!@#h]/);
    expect(echoed).toBe('&lt;!channel&gt; @here @U1 y (http://x)');
  });
});

describe('withoutMention', () => {
  it('removes the bot’s mention, with or without a label, and nothing else', () => {
    expect(withoutMention('<@UBOT> who? <@UBOT|bot> <@UOTHER>', 'UBOT')).toBe('  who?   <@UOTHER>');
  });

  it('leaves the text alone when the bot’s id is unknown', () => {
    expect(withoutMention('<@UBOT> who?', undefined)).toBe('<@UBOT> who?');
  });
});

describe('cutting to a limit', () => {
  it('cuts escaped text without splitting an entity', () => {
    const cut = cutMrkdwn(escapeText('a&b'.repeat(100)), 10);
    expect(cut.length).toBeLessThanOrEqual(10);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
  });

  it('never splits a link', () => {
    const text = `${'x'.repeat(20)} <https://example.com/a|article> tail`;
    const cut = cutMrkdwn(text, 30);
    expect(cut).toBe(`${'x'.repeat(20)} …`);
  });

  it('never splits a surrogate pair', () => {
    const cut = clampPlain('😀'.repeat(10), 6);
    expect(cut).toBe('😀😀…');
    expect(cut.length).toBeLessThanOrEqual(6);
  });

  it('leaves text within the limit as it is', () => {
    expect(cutMrkdwn(escapeText('a < b'), 100)).toBe('a &lt; b');
    expect(clampPlain('short', 5)).toBe('short');
  });
});

describe('slackLink', () => {
  it('links http(s) URLs with an escaped label', () => {
    expect(slackLink('https://example.com/a?x=1&y=2', 'A & B')).toBe(
      '<https://example.com/a?x=1&amp;y=2|A &amp; B>',
    );
  });

  it('keeps | and > from ending the link early', () => {
    expect(slackLink('https://example.com/a|b>c', 'x')).toBe('<https://example.com/a%7Cb%3Ec|x>');
  });

  it.each(['javascript:alert(1)', 'not a url', 'mailto:a@b.c'])('does not link %s', (url) => {
    expect(slackLink(url, 'x')).toBeNull();
  });
});
