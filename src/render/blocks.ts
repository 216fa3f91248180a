/**
 * Block Kit building blocks that keep to Slack's limits by construction:
 * every text is escaped and cut to its field's maximum, and a message never
 * holds more blocks than its surface allows. The message renderers
 * (`blocks-answer.ts`, `blocks-guide.ts`, `blocks-home.ts`) build only from
 * these, so a very long sentence or a folder of many articles still yields
 * a message Slack accepts.
 */
import type { types } from '@slack/bolt';
import { clampPlain, cutMrkdwn } from './escape.js';

/** Slack's limits (docs.slack.dev, Block Kit reference). */
export const LIMITS = {
  messageBlocks: 50,
  homeBlocks: 100,
  sectionText: 3000,
  contextElements: 10,
  contextText: 3000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  /** The fallback `text` of a message: Slack accepts far more, but notifications show only the start. */
  fallbackText: 3000,
} as const;

/** The slash command, as users type it (and as `manifest.yml` declares it). */
export const SLASH_COMMAND = '/ceasefire';

/** A block of any kind Slack knows. */
export type Block = types.KnownBlock;

/** What a message renderer returns: blocks plus the plain fallback Slack shows in notifications. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/**
 * A section of mrkdwn. `mrkdwn` must already be escaped; it is cut to the
 * section limit. `verbatim` stops Slack from turning bare names such as
 * `@channel` or `#general` into mentions and links.
 */
export function section(mrkdwn: string): types.SectionBlock {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: cutMrkdwn(mrkdwn, LIMITS.sectionText), verbatim: true },
  };
}

/** A header line (plain text, at most 150 characters). */
export function header(plain: string): types.HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: clampPlain(plain, LIMITS.headerText), emoji: true },
  };
}

/** A context line of small mrkdwn parts (already escaped); at most 10 parts. */
export function context(parts: readonly string[]): types.ContextBlock {
  const elements = parts.slice(0, LIMITS.contextElements).map((text) => ({
    type: 'mrkdwn' as const,
    text: cutMrkdwn(text, LIMITS.contextText),
    verbatim: true,
  }));
  return { type: 'context', elements };
}

/** A divider line. */
export function divider(): types.DividerBlock {
  return { type: 'divider' };
}

/** A button whose value carries what its action needs. */
export function button(
  actionId: string,
  label: string,
  value: string,
  style?: 'primary' | 'danger',
): types.Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clampPlain(label, LIMITS.buttonText), emoji: true },
    value,
    ...(style ? { style } : {}),
  };
}

/** A row of buttons, or nothing when there are none (Slack rejects an empty actions block). */
export function actions(buttons: readonly types.Button[]): types.ActionsBlock[] {
  return buttons.length ? [{ type: 'actions', elements: [...buttons] }] : [];
}

/**
 * Keeps a list of blocks within `max`: when there are more, the last kept
 * block says how many were left out, so nothing disappears silently.
 */
export function fitBlocks(blocks: readonly Block[], max: number, what = 'items'): Block[] {
  if (blocks.length <= max) return [...blocks];
  const kept = blocks.slice(0, max - 1);
  return [...kept, context([`…and ${blocks.length - kept.length} more ${what} not shown here.`])];
}

/** A message: blocks within the message limit and a fallback text cut to its limit. */
export function message(fallback: string, blocks: readonly Block[]): SlackMessage {
  return { text: cutMrkdwn(fallback, LIMITS.fallbackText), blocks: fitBlocks(blocks, LIMITS.messageBlocks) };
}
