/**
 * The subcommand table: which texts are subcommands, which are questions,
 * and that a feature's new entry is routed and listed in help.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../src/knowledge/knowledge-base.js';
import { createLogger } from '../../src/log.js';
import { message, section } from '../../src/render/blocks.js';
import type { RequestContext, Subcommand } from '../../src/slack/request-context.js';
import { findSubcommand, reply, SUBCOMMANDS } from '../../src/slack/subcommands.js';
import type { Store } from '../../src/store/store.js';
import { allText } from '../helpers/block-limits.js';

const knowledge = await KnowledgeBase.load('knowledge');

const logged: string[] = [];
const logger = createLogger({ level: 'error', write: (_level, line) => logged.push(line) });

const echo: Subcommand = {
  name: 'echo',
  usage: '/ceasefire echo <words>',
  description: 'repeats the words',
  takesArgs: true,
  run: (args) => message(args, [section(`echo: ${args}`)]),
};

const context = (subcommands: readonly Subcommand[]): RequestContext => ({
  knowledge,
  store: {} as Store,
  surface: 'command',
  userId: 'U0001',
  channelId: 'C0001',
  teamId: 'T0001',
  enterpriseId: null,
  subcommands,
});

describe('findSubcommand', () => {
  it.each([
    ['help', 'help', ''],
    ['Sources', 'sources', ''],
    ['  sources  ', 'sources', ''],
    ['echo on 09:00 Europe/Kyiv', 'echo', 'on 09:00 Europe/Kyiv'],
  ])('%j is the %s subcommand with args %j', (text, name, args) => {
    const found = findSubcommand(text, [...SUBCOMMANDS, echo]);
    expect(found?.subcommand.name).toBe(name);
    expect(found?.args).toBe(args);
  });

  it.each(['help me understand the talks', 'sources of the conflict', 'Who leads?', 'helpful?'])(
    '%j is a question',
    (text) => {
      expect(findSubcommand(text, [...SUBCOMMANDS, echo])).toBeNull();
    },
  );
});

describe('reply', () => {
  it('routes to a subcommand a feature added, and help lists it', async () => {
    const table = [...SUBCOMMANDS, echo];
    expect(allText(await reply('echo a b', context(table), logger))).toContain('echo: a b');
    expect(allText(await reply('help', context(table), logger))).toContain(
      '`/ceasefire echo &lt;words&gt;` — repeats the words',
    );
  });

  it('answers anything else as a question, from the knowledge base it was given', async () => {
    expect(allText(await reply("Who leads Russia's delegation?", context(SUBCOMMANDS), logger))).toContain(
      'Vladimir Medinsky',
    );
  });

  it('replies with an apology, and logs why, when answering fails', async () => {
    const broken: Subcommand = {
      ...echo,
      name: 'broken',
      run: () => Promise.reject(new Error('index gone')),
    };
    const shown = allText(await reply('broken x', context([broken]), logger));
    expect(shown).toContain('Sorry, something went wrong');
    expect(logged.some((l) => l.includes('Failed to answer "broken x"') && l.includes('index gone'))).toBe(
      true,
    );
  });
});
