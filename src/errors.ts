/**
 * The bot's error classes. Each carries a stable `code` (for logs, tests and
 * callers that branch on it) and a message that says what to do about it.
 */

/** Codes of every error the bot raises on purpose. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'NOT_INSTALLED'
  | 'SLACK_CALL_FAILED'
  | 'SLACK_REFUSED'
  | 'SLACK_NOT_A_MEMBER'
  | 'SLACK_ACCESS_DENIED'
  | 'SLACK_UNCERTAIN'
  | 'USAGE';

/** Base class: an error with a code and an actionable message. */
export class CeasefireError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One invalid or missing configuration variable. */
export interface ConfigIssue {
  variable: string;
  problem: string;
}

/** Configuration is missing or malformed; lists every variable at once. */
export class ConfigError extends CeasefireError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], hint: string) {
    const lines = issues.map((i) => `  - ${i.variable}: ${i.problem}`);
    super('CONFIG_INVALID', `Invalid configuration:\n${lines.join('\n')}\n${hint}`);
    this.issues = issues;
  }
}

/** The state database cannot be opened, migrated or written. */
export class StoreError extends CeasefireError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message, options);
  }
}

/** The app has no installation for a workspace or org (it was never installed there, or was uninstalled). */
export class NotInstalledError extends CeasefireError {
  constructor(message: string) {
    super('NOT_INSTALLED', message);
  }
}

/**
 * What a failed Slack call means for what comes next, for callers that
 * branch on it (the digest decides from it whether a day may be tried again):
 * - `SLACK_REFUSED`: Slack did not carry the call out; a later try may work (a rate limit, a refusal);
 * - `SLACK_NOT_A_MEMBER`: not carried out: the bot is not in the conversation, or it is gone;
 * - `SLACK_ACCESS_DENIED`: not carried out: Slack refuses the bot token, or the app lacks the scope;
 * - `SLACK_UNCERTAIN`: Slack may have carried it out (a timeout, a dropped connection, a 5xx);
 * - `SLACK_CALL_FAILED`: a step that is not tried again (starting up), whatever the reason.
 */
export type SlackFailureCode = Extract<
  ErrorCode,
  'SLACK_CALL_FAILED' | 'SLACK_REFUSED' | 'SLACK_NOT_A_MEMBER' | 'SLACK_ACCESS_DENIED' | 'SLACK_UNCERTAIN'
>;

/** A Slack Web API call failed; `slackCode` is Slack's own error string, `code` what it means. */
export class SlackCallError extends CeasefireError {
  declare readonly code: SlackFailureCode;
  readonly slackCode: string;

  constructor(
    method: string,
    slackCode: string,
    message: string,
    options?: { cause?: unknown; code?: SlackFailureCode },
  ) {
    super(options?.code ?? 'SLACK_CALL_FAILED', `${method} failed (${slackCode}): ${message}`, options);
    this.slackCode = slackCode;
  }
}

/** A command-line call that cannot be understood. */
export class UsageError extends CeasefireError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
