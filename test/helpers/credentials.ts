/**
 * The fake credentials the tests configure. Known values, so that the check
 * in `no-secret-leaks.ts` can tell when one reaches a log line.
 */

/** The bot token the tests configure. */
export const BOT_TOKEN = 'xoxb-1111-2222-testtokenvalue';
/** The app-level token the Socket Mode tests configure. */
export const APP_TOKEN = 'xapp-1-A0001-3333-apptokenvalue';
/** The signing secret the tests configure. */
export const SIGNING_SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
/** The legacy verification token Slack still puts in every payload's `token` field. */
export const VERIFICATION_TOKEN = 'verification-token';
/** The password of the tests' Postgres superuser (see `postgres.ts`). */
export const DATABASE_PASSWORD = 'pg-test-secret-5c81e0';
/** The OAuth client ID the many-workspace tests configure (not a secret). */
export const CLIENT_ID = '1111111111.2222222222';
/** The OAuth client secret the many-workspace tests configure. */
export const CLIENT_SECRET = 'c11e47c11e47c11e47c11e47c11e4700';
/** The state secret the many-workspace tests configure. */
export const STATE_SECRET = 'state-secret-of-the-tests-0123456789abcdef';
