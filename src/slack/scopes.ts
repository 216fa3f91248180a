/**
 * The bot scopes the app asks for, in one place: `manifest.yml` declares
 * the same (a test checks), and the install link of many-workspace mode asks
 * for them. The app asks for no user scopes.
 */

/** Bot scopes the app cannot work without (`oauth_config.scopes.bot`). See "Bot scopes" in docs/setup.md. */
export const BOT_SCOPES: readonly string[] = ['commands', 'app_mentions:read', 'chat:write', 'im:history'];

/**
 * Bot scopes whoever installs may leave out (`oauth_config.scopes.bot_optional`):
 * only the digest's check for an earlier post reads channel history.
 */
export const OPTIONAL_BOT_SCOPES: readonly string[] = ['channels:history', 'groups:history'];

/** What the install link asks for: Slack shows the optional scopes apart, for the installer to grant or not. */
export const INSTALL_SCOPES: readonly string[] = [...BOT_SCOPES, ...OPTIONAL_BOT_SCOPES];
