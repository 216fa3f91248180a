/**
 * Text that goes into Slack, and text that comes from it. Slack reads `&`,
 * `<` and `>` as control characters in every text field (`<!channel>` pings
 * a channel, `<http://x|y>` is a link), so anything not written by the bot
 * itself is escaped before it is sent. Incoming text arrives in the same
 * encoding and is turned back into what the person saw before it is searched
 * or echoed.
 */

/** Escapes `&`, `<` and `>` so Slack shows the text as written. */
export function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const SPECIAL_MENTIONS = new Set(['channel', 'here', 'everyone']);

/**
 * What a person saw in Slack, from the text Slack sends for it: mentions,
 * channel links and links become their readable labels (`<@U1|ann>` → `@ann`,
 * `<!here>` → `@here`, `<http://x|y>` → `y (http://x)`) and entities are
 * decoded. The result is plain text: escape it again before it goes back.
 */
export function plainFromSlack(text: string): string {
  const readable = text.replace(/<([^<>]*)>/g, (_, inner: string) => {
    const bar = inner.indexOf('|');
    const target = bar >= 0 ? inner.slice(0, bar) : inner;
    const label = bar >= 0 ? inner.slice(bar + 1) : '';
    if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
    if (target.startsWith('#')) return label ? `#${label}` : target;
    if (target.startsWith('!')) {
      const name = target.slice(1).split('^')[0] ?? '';
      if (SPECIAL_MENTIONS.has(name)) return `@${name}`;
      return label || name;
    }
    return label && label !== target ? `${label} (${target})` : target;
  });
  return readable.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Removes mentions of one user (the bot) from Slack-encoded text, so
 * `<@B1> who is Umerov?` becomes the question ` who is Umerov?`.
 */
export function withoutMention(text: string, userId: string | undefined): string {
  if (!userId) return text;
  return text.replace(new RegExp(`<@${userId.replace(/[^A-Za-z0-9]/g, '')}(\\|[^>]*)?>`, 'g'), ' ');
}

/**
 * Cuts Slack text (already escaped) to at most `max` characters, ending with
 * `…` when cut. Never splits an entity such as `&amp;`, a `<url|label>` link
 * or a surrogate pair.
 */
export function cutMrkdwn(mrkdwn: string, max: number): string {
  if (mrkdwn.length <= max) return mrkdwn;
  let end = max - 1;
  const lastAmp = mrkdwn.lastIndexOf('&', end);
  if (lastAmp >= 0 && end - lastAmp < 6 && !mrkdwn.slice(lastAmp, end).includes(';')) end = lastAmp;
  const lastOpen = mrkdwn.lastIndexOf('<', end);
  if (lastOpen >= 0 && mrkdwn.indexOf('>', lastOpen) >= end) end = lastOpen;
  return cutAt(mrkdwn, end);
}

/** Cuts plain text (for `plain_text` fields, which Slack never parses) to `max` characters. */
export function clampPlain(text: string, max: number): string {
  return text.length <= max ? text : cutAt(text, max - 1);
}

/** The text up to `end` plus `…`, moving back one if `end` would split a surrogate pair. */
function cutAt(text: string, end: number): string {
  const code = text.charCodeAt(end - 1);
  const safeEnd = code >= 0xd800 && code <= 0xdbff ? end - 1 : end;
  return `${text.slice(0, safeEnd)}…`;
}

/**
 * A Slack link to an http(s) URL with escaped label, or null for anything
 * else (a `javascript:` URL, or text that is not a URL, never becomes a link).
 */
export function slackLink(url: string, label: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  // `|` and `>` would end the link early; the URL class percent-encodes `<`, `>` and spaces already.
  const href = escapeText(parsed.href.replace(/\|/g, '%7C'));
  return `<${href}|${escapeText(label)}>`;
}
