/**
 * `/ceasefire` through Bolt's real routing: signed requests to the bot in
 * HTTP mode, answers read from the response_url stand-in.
 */
import { describe, expect, it, vi } from 'vitest';
import { StoreError } from '../../src/errors.js';
import { allText, limitViolations } from '../helpers/block-limits.js';
import { commandBody, send } from '../helpers/signed-request.js';
import { useTestBot } from '../helpers/test-bot.js';

const t = useTestBot();
let n = 0;

/** Sends `/ceasefire <text>` and returns the ack response and the body posted to the response_url. */
async function command(text: string, overrides: Record<string, string> = {}) {
  const id = `cmd${++n}`;
  const ack = await send(t.events, commandBody(text, t.bot.slack.responseUrl(id), overrides));
  const [reply] = await t.bot.slack.waitFor(`respond:${id}`);
  return { ack, reply: reply?.body as { response_type?: string; text?: string; blocks?: unknown[] } };
}

describe('/ceasefire <question>', () => {
  it('acknowledges with an empty 200, then answers privately with the fact and its source', async () => {
    const { ack, reply } = await command("Who leads Russia's delegation?");
    expect(ack.status).toBe(200);
    expect(await ack.text()).toBe('');
    expect(reply.response_type).toBe('ephemeral');
    const shown = allText(reply);
    expect(shown).toContain('Russia’s delegation led by Vladimir Medinsky');
    expect(shown).toContain('› Historic Meeting of Delegates in Istanbul');
    expect(limitViolations(reply)).toEqual([]);
    expect(reply).toMatchObject({ unfurl_links: false, unfurl_media: false });
  });

  it('restates the question and quotes at most three facts, each followed by its source line', async () => {
    const { reply } = await command('What did Rubio say about the talks?');
    const blocks = reply.blocks as { type: string; text?: { text: string } }[];
    expect(blocks[0]?.text?.text).toContain('What did Rubio say about the talks?');
    const quotes = blocks.filter((b) => b.type === 'section' && b.text?.text.startsWith('>'));
    expect(quotes.length).toBeGreaterThan(0);
    expect(quotes.length).toBeLessThanOrEqual(3);
    for (const q of quotes) expect(blocks[blocks.indexOf(q) + 1]?.type).toBe('context');
  });

  it('offers Share, feedback and (when there are more) More facts', async () => {
    const { reply } = await command('ceasefire');
    const actions = (reply.blocks as { type: string; elements?: { action_id: string }[] }[]).find(
      (b) => b.type === 'actions',
    );
    expect(actions?.elements?.map((e) => e.action_id)).toEqual([
      'answer_share',
      'answer_more',
      'feedback_up',
      'feedback_down',
    ]);
  });

  it('says clearly when the articles say nothing about it, with suggestions and no facts', async () => {
    const { reply } = await command('What is the capital of France?');
    const shown = allText(reply);
    expect(shown).toContain('I found nothing in the articles about that.');
    expect(shown).toContain('Try asking about:');
    expect(shown).not.toMatch(/^>/m);
    expect(reply.blocks?.some((b) => (b as { type: string }).type === 'actions')).toBe(false);
  });
});

describe('/ceasefire subcommands', () => {
  it.each(['help', '', '  HELP  '])('"%s" shows usage with examples', async (text) => {
    const { reply } = await command(text);
    const shown = allText(reply);
    expect(shown).toContain('/ceasefire &lt;question&gt;');
    expect(shown).toContain('/ceasefire sources');
    expect(shown).toContain("/ceasefire Who leads Russia's delegation?");
    expect(limitViolations(reply)).toEqual([]);
  });

  it('"sources" lists each article with its number of facts', async () => {
    const { reply } = await command('sources');
    const shown = allText(reply);
    expect(shown).toContain('Ceasefire talks between Ukraine and Russia are taking place in Turkey');
    const article = t.bot.running.knowledge.articles[0];
    expect(shown).toContain(`${article?.sentences.length} facts`);
  });

  it('treats any other text, even one starting with a subcommand name, as a question', async () => {
    const { reply } = await command('sources of the conflict');
    expect(allText(reply)).not.toContain('Articles I answer from');
  });
});

describe('user text echoed back', () => {
  it('never pings or links: <!channel>, <@U…> and <http://x|y> arrive as text', async () => {
    // Slack sends what the person typed with & < > encoded, and mentions as <…> sequences.
    const typed = '&lt;!channel&gt; <!here> <@U0BADBAD> <http://evil.example|click> who is Umerov?';
    const { reply } = await command(typed);
    const shown = allText(reply);
    for (const raw of ['<!channel>', '<!here>', '<@U0BADBAD>', '<http://evil.example|click>', '<http']) {
      expect(shown).not.toContain(raw);
    }
    expect(shown).toContain('&lt;!channel&gt;');
    expect(shown).toContain('@here');
    expect(shown).toContain('@U0BADBAD');
    expect(JSON.stringify(reply)).not.toContain('link_names');
  });
});

describe('questions the articles do not answer', () => {
  /** The questions kept for editors that were asked with these words. */
  const kept = async (question: string) =>
    (await t.bot.running.store.gaps(0)).filter((g) => g.question === question);

  it('keeps one with its surface, workspace and time, and without who asked', async () => {
    const question = 'What is the capital of Atlantis?';
    const started = Date.now();
    const { reply } = await command(question, { user_id: 'U0ASKER01', team_id: 'T0GAPS01' });
    expect(allText(reply)).toContain('I found nothing in the articles about that.');
    const rows = await kept(question);
    expect(rows).toEqual([
      {
        kind: 'unanswered',
        question,
        surface: 'command',
        teamId: 'T0GAPS01',
        enterpriseId: null,
        at: expect.any(Number),
      },
    ]);
    expect(rows[0]?.at).toBeGreaterThanOrEqual(started);
    expect(JSON.stringify(rows)).not.toContain('U0ASKER01');
  });

  it('blanks out a user id the question mentions', async () => {
    await command('Did <@U0OTHER01> visit Atlantis?');
    expect(await kept('Did @someone visit Atlantis?')).toHaveLength(1);
    expect(JSON.stringify(await t.bot.running.store.gaps(0))).not.toContain('U0OTHER01');
  });

  it('keeps neither answers with facts, overviews, subcommands, empty text nor questions of stop words only', async () => {
    const before = (await t.bot.running.store.gaps(0)).length;
    for (const text of ["Who leads Russia's delegation?", 'summary', 'help', 'sources', '', 'what is it?']) {
      await command(text);
    }
    expect(await t.bot.running.store.gaps(0)).toHaveLength(before);
  });

  it('still answers when the question cannot be kept, and logs why', async () => {
    const store = t.bot.running.store;
    const failing = vi
      .spyOn(store, 'recordGap')
      .mockRejectedValueOnce(new StoreError('The database is down.'));
    try {
      const { reply } = await command('Who rules Atlantis?');
      expect(allText(reply)).toContain('I found nothing in the articles about that.');
      expect(failing).toHaveBeenCalledOnce();
      expect(
        t.bot.logs.some((l) =>
          l.includes('was not kept for npm run gaps: StoreError: The database is down.'),
        ),
      ).toBe(true);
    } finally {
      failing.mockRestore();
    }
  });
});
