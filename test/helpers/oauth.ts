/**
 * Many workspaces in the tests: the environment that turns OAuth on, a
 * Slack stand-in that answers `oauth.v2.access` as Slack does after someone
 * approves an install, and an install walked through as a browser does it.
 */
import { createLogger } from '../../src/log.js';
import { slackClientOptions } from '../../src/slack/client-policy.js';
import { RotatingInstallationStore } from '../../src/slack/token-rotation.js';
import type { Store } from '../../src/store/store.js';
import { CLIENT_ID, CLIENT_SECRET, STATE_SECRET } from './credentials.js';
import { SlackStandIn } from './slack-stand-in.js';

/** The variables of many-workspace mode (with the test bot's signing secret), and no bot token. */
export const OAUTH_ENV = {
  SLACK_CLIENT_ID: CLIENT_ID,
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
  SLACK_STATE_SECRET: STATE_SECRET,
  SLACK_BOT_TOKEN: '',
};

/**
 * The installations a many-workspace bot keeps in `store`, as it makes them
 * (tokens refreshed through the Web API at `apiUrl`, by default Slack's:
 * installations without a refresh token never call it).
 */
export function oauthInstallations(store: Store, apiUrl: string | null = null): RotatingInstallationStore {
  return new RotatingInstallationStore({
    store,
    oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
    clientOptions: slackClientOptions(apiUrl),
    logger: createLogger({ level: 'error', write: () => {} }),
  });
}

/** The bot token the stand-in gives a workspace or org at install. */
export function installedToken(id: string): string {
  return `xoxb-${id}-installed`;
}

/**
 * Makes the stand-in answer `oauth.v2.access` as Slack does: code
 * `code-<team>` installs the app in that workspace, `org-<enterprise>`
 * org-wide in that org; any other code is refused (`invalid_code`).
 */
export function answerInstalls(slack: SlackStandIn, installer = 'U_INSTALLER'): void {
  slack.on('oauth.v2.access', (body) => {
    const code = String(body.code);
    const [kind, id] = code.split('-');
    if (!id || (kind !== 'code' && kind !== 'org')) return { body: { ok: false, error: 'invalid_code' } };
    const org = kind === 'org';
    return {
      body: {
        ok: true,
        app_id: 'A0001',
        authed_user: { id: installer },
        scope: 'commands,app_mentions:read,chat:write,im:history',
        token_type: 'bot',
        access_token: installedToken(id),
        bot_user_id: `UBOT${id}`,
        team: org ? null : { id, name: `Team ${id}` },
        enterprise: org ? { id, name: `Org ${id}` } : null,
        is_enterprise_install: org,
      },
    };
  });
}

/** Starts a stand-in that answers installs (see `answerInstalls`), for bots to share. */
export async function startInstallingSlack(): Promise<SlackStandIn> {
  const slack = new SlackStandIn();
  await slack.start();
  answerInstalls(slack);
  return slack;
}

/** What the Add to Slack page offered: the link to Slack's authorize page, and the state cookie it set. */
export interface InstallStart {
  authorizeUrl: URL;
  /** `name=value` of the state cookie, as a browser sends it back. */
  cookie: string;
}

/** Opens the Add to Slack page of the bot at `baseUrl`, as a browser does. */
export async function startInstall(baseUrl: string): Promise<InstallStart> {
  const response = await fetch(`${baseUrl}/slack/install`);
  if (response.status !== 200) throw new Error(`the install page answered ${response.status}`);
  const href = /<a href="([^"]+)"/.exec(await response.text())?.[1];
  if (!href) throw new Error('the install page has no link');
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (!cookie) throw new Error('the install page set no state cookie');
  return { authorizeUrl: new URL(href.replaceAll('&amp;', '&')), cookie };
}

/** Comes back from Slack to the bot at `baseUrl` with `code`, as the browser of an install started with `start`. */
export function finishInstall(baseUrl: string, start: InstallStart, code: string): Promise<Response> {
  const state = start.authorizeUrl.searchParams.get('state') ?? '';
  const query = new URLSearchParams({ code, state });
  return fetch(`${baseUrl}/slack/oauth_redirect?${query}`, { headers: { cookie: start.cookie } });
}

/** Installs the app through the bot at `baseUrl` with `code` (see `answerInstalls`), failing unless it works. */
export async function install(baseUrl: string, code: string): Promise<void> {
  const response = await finishInstall(baseUrl, await startInstall(baseUrl), code);
  if (response.status !== 200) throw new Error(`the install with ${code} answered ${response.status}`);
}
