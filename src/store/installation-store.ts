/**
 * Bolt's `InstallationStore` over the bot's store, so that OAuth installs
 * live in the same database as everything else (and every replica sees
 * them). It keys and looks up installations as Bolt's own stores do:
 * - an org-wide install by its enterprise id alone; a workspace install by
 *   its team id, with the enterprise id when the workspace is in an org;
 * - each save becomes the workspace's latest installation (bot token) and
 *   the installing user's own (user token);
 * - a look-up for a user returns the workspace's installation with that
 *   user's token, or with no user token when that user never installed.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { NotInstalledError } from '../errors.js';
import type { InstallationKey, Store, StoredInstallation } from './store.js';

/** An installed workspace or org, as the digest and uninstall handling see it. */
export interface InstalledWorkspace extends InstallationKey {
  isEnterpriseInstall: boolean;
  installation: Installation;
}

/** Bolt's installation store, kept in the bot's `Store`. */
export class StoreInstallationStore implements InstallationStore {
  constructor(private readonly store: Store) {}

  /** Saves an installation (also after a token refresh, when Bolt saves the updated one). */
  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    await this.store.saveInstallation(keyOfInstallation(installation), installation.user.id, installation);
  }

  /** The installation for a request; throws `NotInstalledError` when there is none. */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const key = keyOfQuery(query);
    const latest = await this.store.findInstallation(key);
    if (!latest) throw notInstalled(key);
    const installation = latest.data as Installation;
    if (query.userId && latest.userId !== query.userId) {
      const own = await this.store.findInstallation(key, query.userId);
      // Never hand one person's user token to another's request.
      installation.user = own
        ? (own.data as Installation).user
        : { id: installation.user.id, token: undefined, scopes: undefined };
    }
    return installation;
  }

  /** Deletes a workspace's (or org's) installations, or with `userId` only that user's. */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.store.deleteInstallation(keyOfQuery(query), query.userId);
  }

  /** Every installed workspace and org, with its latest installation. */
  async listInstallations(): Promise<InstalledWorkspace[]> {
    return (await this.store.installations()).map(toInstalledWorkspace);
  }
}

/** Where an installation is kept: by enterprise alone for an org-wide install. */
export function keyOfInstallation(installation: Installation<'v1' | 'v2', boolean>): InstallationKey {
  const enterpriseId = installation.enterprise?.id ?? null;
  if (installation.isEnterpriseInstall) {
    if (!enterpriseId) throw new RangeError('An org-wide installation has no enterprise id');
    return { enterpriseId, teamId: null };
  }
  const teamId = installation.team?.id;
  if (!teamId) throw new RangeError('A workspace installation has no team id');
  return { enterpriseId, teamId };
}

/** Where a request's installation is kept: a request from an org-wide install names its workspace too. */
export function keyOfQuery(query: InstallationQuery<boolean>): InstallationKey {
  if (query.isEnterpriseInstall) {
    if (!query.enterpriseId)
      throw new RangeError('A query for an org-wide installation has no enterprise id');
    return { enterpriseId: query.enterpriseId, teamId: null };
  }
  return { enterpriseId: query.enterpriseId ?? null, teamId: query.teamId ?? null };
}

function toInstalledWorkspace(stored: StoredInstallation): InstalledWorkspace {
  return {
    enterpriseId: stored.enterpriseId,
    teamId: stored.teamId,
    isEnterpriseInstall: stored.teamId === null,
    installation: stored.data as Installation,
  };
}

/** Where an installation belongs, for logs and messages: `workspace T1 (org E1)` or `org E1`. */
export function describeInstallationKey({ enterpriseId, teamId }: InstallationKey): string {
  if (!teamId) return `org ${enterpriseId}`;
  return `workspace ${teamId}${enterpriseId ? ` (org ${enterpriseId})` : ''}`;
}

function notInstalled(key: InstallationKey): NotInstalledError {
  return new NotInstalledError(
    `The app is not installed in ${describeInstallationKey(key)}: install it there through /slack/install.`,
  );
}
