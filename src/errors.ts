/**
 * The bot's error classes. Each carries a stable `code` (for logs, tests and
 * callers that branch on it) and a message that says what to do about it.
 */

/** Codes of every error the bot raises on purpose. */
export type ErrorCode = 'CONFIG_INVALID' | 'STORE_UNAVAILABLE' | 'SLACK_CALL_FAILED' | 'USAGE';

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

/** A Slack Web API call failed; `slackCode` is Slack's own error string. */
export class SlackCallError extends CeasefireError {
  readonly slackCode: string;

  constructor(method: string, slackCode: string, message: string, options?: { cause?: unknown }) {
    super('SLACK_CALL_FAILED', `${method} failed (${slackCode}): ${message}`, options);
    this.slackCode = slackCode;
  }
}

/** A command-line call that cannot be understood. */
export class UsageError extends CeasefireError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
