/**
 * Installations for many workspaces, with their bot tokens kept fresh. When
 * the app has token rotation on, a bot token expires after 12 hours and its
 * refresh token buys a new one. Bolt's own look-up refreshes a token that
 * expires within 2 hours, but without a lock: two processes serving the same
 * workspace would both refresh it, and the one that saves last may keep a
 * refresh token Slack has already replaced. Here a token that expires within
 * 3 hours is refreshed under the store's lock for that installation, which
 * one process on the database holds at a time: it reads the installation
 * again under the lock, refreshes only if it is still needed, and saves it
 * before letting go. The others wait and then find the fresh token, so each
 * token is refreshed once however many processes ask; and since 3 hours is
 * more than 2, Bolt finds nothing left to refresh.
 */
import {
  type Installation,
  type InstallationQuery,
  type InstallationStore,
  type Logger,
  webApi,
} from '@slack/bolt';
import type { Config, OAuthConfig } from '../config.js';
import { NotInstalledError } from '../errors.js';
import {
  describeInstallationKey,
  type InstalledWorkspace,
  keyOfInstallation,
  keyOfQuery,
  StoreInstallationStore,
} from '../store/installation-store.js';
import type { InstallationKey, Store } from '../store/store.js';
import { slackClientOptions, slackErrorCode } from './client-policy.js';

/** A bot token that expires within this long is refreshed. More than Bolt's 2 hours, so Bolt never refreshes. */
export const REFRESH_WITHIN_MS = 3 * 60 * 60 * 1000;

/** What the installations are kept with. */
export interface RotatingInstallationStoreOptions {
  store: Store;
  oauth: Pick<OAuthConfig, 'clientId' | 'clientSecret'>;
  /** Web API client options for `oauth.v2.access` (made with `slackClientOptions`: the API URL, the time limit). */
  clientOptions: webApi.WebClientOptions;
  logger: Logger;
  /** Clock in milliseconds (tests pass their own). */
  now?: () => number;
}

/**
 * The installations of a configuration serving many workspaces, or null for
 * one workspace. Calls go to SLACK_API_URL, on the client policy with
 * `clientOptions` over it (tests shorten the time limit).
 */
export function installationsFor(
  config: Pick<Config, 'slack'>,
  store: Store,
  logger: Logger,
  clientOptions?: webApi.WebClientOptions,
): RotatingInstallationStore | null {
  const { oauth, apiUrl } = config.slack;
  if (!oauth) return null;
  return new RotatingInstallationStore({
    store,
    oauth,
    clientOptions: slackClientOptions(apiUrl, clientOptions),
    logger,
  });
}

/** Bolt's installation store over the bot's store, refreshing bot tokens before they expire, once across processes. */
export class RotatingInstallationStore implements InstallationStore {
  private readonly installations: StoreInstallationStore;
  private readonly client: webApi.WebClient;
  private readonly now: () => number;

  constructor(private readonly options: RotatingInstallationStoreOptions) {
    this.installations = new StoreInstallationStore(options.store);
    this.client = new webApi.WebClient(undefined, { ...options.clientOptions, logger: options.logger });
    this.now = options.now ?? Date.now;
  }

  /** Saves a new install (Bolt calls this once Slack has given the workspace's token). */
  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    await this.installations.storeInstallation(installation);
    this.options.logger.info(
      `Installed in ${describeInstallationKey(keyOfInstallation(installation))} by ${installation.user.id}`,
    );
  }

  /**
   * The installation for a request, its bot token refreshed first when it
   * expires within `REFRESH_WITHIN_MS`. Throws `NotInstalledError` when there
   * is none, and `StoreError` when the store cannot be used.
   */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const installation = await this.installations.fetchInstallation(query);
    return this.expiresSoon(installation) ? this.refreshed(query) : installation;
  }

  /** Deletes a workspace's (or org's) installations, or with `userId` only that user's. */
  deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    return this.installations.deleteInstallation(query);
  }

  /** Every installed workspace and org, with its latest installation. */
  listInstallations(): Promise<InstalledWorkspace[]> {
    return this.installations.listInstallations();
  }

  /**
   * A fresh bot token for an installed workspace or org (as `listInstallations`
   * names it: `teamId` null for an org-wide install), through the same
   * refreshing look-up as requests. A workspace of an org without an install
   * of its own gets its org's token. Throws `NotInstalledError` when the app
   * is not installed there.
   */
  async tokenFor(workspace: InstallationKey): Promise<string> {
    const { enterpriseId, teamId } = workspace;
    let installation: Installation;
    try {
      installation = await this.fetchInstallation(
        teamId
          ? { teamId, enterpriseId: enterpriseId ?? undefined, isEnterpriseInstall: false }
          : { teamId: undefined, enterpriseId: enterpriseId ?? '', isEnterpriseInstall: true },
      );
    } catch (error) {
      if (!(error instanceof NotInstalledError && teamId && enterpriseId)) throw error;
      return this.tokenFor({ enterpriseId, teamId: null });
    }
    const token = installation.bot?.token;
    if (!token)
      throw new NotInstalledError(
        `The installation of ${describeInstallationKey(workspace)} has no bot token.`,
      );
    return token;
  }

  private expiresSoon(installation: Installation): boolean {
    const bot = installation.bot;
    return Boolean(
      bot?.refreshToken &&
        bot.expiresAt !== undefined &&
        bot.expiresAt * 1000 - this.now() <= REFRESH_WITHIN_MS,
    );
  }

  /** Under the installation's lock: read it again, refresh its bot token if still needed, save it. */
  private refreshed(query: InstallationQuery<boolean>): Promise<Installation> {
    const key = keyOfQuery(query);
    return this.options.store.withLock(
      `installation-token:${key.enterpriseId ?? ''}:${key.teamId ?? ''}`,
      async () => {
        const latest = await this.options.store.findInstallation(key);
        const installation = latest?.data as Installation | undefined;
        if (latest && installation && this.expiresSoon(installation)) {
          const refreshed = await this.refresh(installation, key);
          // Left as it was: Bolt would refresh it without the lock; the next request tries again.
          if (!refreshed) return withoutRefreshToken(await this.installations.fetchInstallation(query));
          await this.options.store.saveInstallation(key, latest.userId, refreshed);
        }
        // Read as a request sees it (with the requesting user's own user token, if any).
        return this.installations.fetchInstallation(query);
      },
    );
  }

  /** The installation with a new bot token, or null (logged) when Slack did not give one. */
  private async refresh(installation: Installation, key: InstallationKey): Promise<Installation | null> {
    const bot = installation.bot;
    if (!bot?.refreshToken) return null;
    try {
      const response = await this.client.oauth.v2.access({
        client_id: this.options.oauth.clientId,
        client_secret: this.options.oauth.clientSecret,
        grant_type: 'refresh_token',
        refresh_token: bot.refreshToken,
      });
      if (!response.access_token || response.expires_in === undefined) {
        throw new Error('oauth.v2.access answered without a token or its lifetime');
      }
      this.options.logger.info(`Refreshed the bot token of ${describeInstallationKey(key)}`);
      return {
        ...installation,
        bot: {
          ...bot,
          token: response.access_token,
          refreshToken: response.refresh_token ?? bot.refreshToken,
          expiresAt: Math.floor(this.now() / 1000) + response.expires_in,
        },
      };
    } catch (error) {
      const code = slackErrorCode(error);
      this.options.logger.error(
        `Could not refresh the bot token of ${describeInstallationKey(key)} (oauth.v2.access: ${code}): ` +
          (code === 'invalid_refresh_token'
            ? 'Slack no longer accepts its refresh token; install the app there again through /slack/install'
            : 'the current token is used until it expires, and the next request tries again'),
      );
      return null;
    }
  }
}

/** A copy without the bot's refresh token: what Bolt is handed when a refresh failed. */
function withoutRefreshToken(installation: Installation): Installation {
  if (!installation.bot) return installation;
  const { refreshToken: _, ...bot } = installation.bot;
  return { ...installation, bot };
}
