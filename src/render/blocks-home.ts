/**
 * The App Home tab: what the bot knows (each article with its key facts),
 * how to ask, and optional sections that other features add (the daily
 * digest's status, readers' feedback).
 */
import type { types } from '@slack/bolt';
import type { Article } from '../article.js';
import { byNewest } from '../article.js';
import { type Block, context, divider, fitBlocks, header, LIMITS, SLASH_COMMAND, section } from './blocks.js';
import { articleHeading, examplesText, type Usage, usageText } from './blocks-guide.js';
import { escapeText } from './escape.js';

/** Key facts shown per article: enough to recognise it, short enough to scan. */
const KEY_POINTS_SHOWN = 5;

/** A status section another feature adds to App Home (e.g. the daily digest). */
export interface HomeStatus {
  title: string;
  /** Lines of mrkdwn, already escaped (they may hold channel links such as `<#C0123>`). */
  lines: readonly string[];
}

/** What App Home shows besides the articles. */
export interface HomeOptions {
  usages: readonly Usage[];
  /** The daily digest's status for this user, when that feature is present. */
  digest?: HomeStatus;
  /** How readers rated answers so far. */
  feedback?: { helpful: number; unhelpful: number };
}

/** The Home tab view. */
export function renderHome(articles: readonly Article[], options: HomeOptions): types.HomeView {
  const sorted = [...articles].sort(byNewest);
  const blocks: Block[] = [
    header('What I know'),
    section(
      sorted.length
        ? `I answer questions about ${sorted.length === 1 ? 'this article' : `these ${sorted.length} articles`} with their exact sentences and sources.`
        : 'No articles are loaded yet, so I cannot answer questions.',
    ),
  ];
  const articleBlocks = sorted.map((a) => section(articleWithKeyPoints(a)));
  // Leave room for the sections after the articles.
  blocks.push(...fitBlocks(articleBlocks, LIMITS.homeBlocks - 12, 'articles'));
  blocks.push(
    divider(),
    header('How to ask'),
    section(usageText(options.usages)),
    section(`*Examples*\n${examplesText()}`),
    context([`Mention me in a channel to get the answer in a thread, or write to me here in Messages.`]),
  );
  if (options.digest) {
    blocks.push(divider(), header(options.digest.title), section(options.digest.lines.join('\n')));
  }
  const rated = options.feedback;
  if (rated && rated.helpful + rated.unhelpful > 0) {
    blocks.push(
      context([`Readers rated ${rated.helpful} answers helpful and ${rated.unhelpful} not helpful.`]),
    );
  }
  return { type: 'home', blocks: fitBlocks(blocks, LIMITS.homeBlocks) };
}

function articleWithKeyPoints(article: Article): string {
  const points = article.keyPoints.slice(0, KEY_POINTS_SHOWN).map((p) => `• ${escapeText(p.text)}`);
  const more =
    article.keyPoints.length > KEY_POINTS_SHOWN ? [`_…and more: ask with \`${SLASH_COMMAND}\`_`] : [];
  return [articleHeading(article), ...points, ...more].join('\n');
}
