/**
 * `digest --post`: today's digest for every subscribed conversation of
 * every installed workspace, or of one. Each delivery claims its day in the
 * ledger like the scheduler's, so any number of these runs and of running
 * bots on one database post each conversation's digest once.
 */
import { NotInstalledError } from '../errors.js';
import type { DigestSubscription, InstallationKey } from '../store/store.js';
import { type Delivery, type DeliveryDeps, deliverDigest } from './deliver.js';
import { installationOf } from './workspaces.js';

/** Which digests to post. */
export interface PostOptions {
  /** Only this workspace's (a team id); it must be installed. */
  teamId?: string;
  /** Post again where today's digest went out already. */
  force?: boolean;
  /** Told about each conversation as soon as it is done. */
  onDelivery?: (delivery: Delivery) => void;
}

/**
 * Delivers today's digest to each subscribed conversation, one at a time
 * (a rate limit on one then delays the next instead of all failing
 * together), and resolves every outcome. A conversation whose workspace has
 * no installation is reported `not-installed` and gets nothing. Throws
 * `NotInstalledError` when `teamId` names a workspace the app is not
 * installed in.
 */
export async function postDigests(deps: DeliveryDeps, options: PostOptions = {}): Promise<Delivery[]> {
  let subscriptions = await deps.store.allDigestSubscriptions();
  if (options.teamId !== undefined) {
    const { teamId } = options;
    subscriptions = subscriptions.filter((s) => s.teamId === teamId);
    const installed = await deps.installations.listInstallations();
    if (!isInstalled(teamId, subscriptions, installed)) throw notInstalled(teamId, installed);
  }
  const deliveries: Delivery[] = [];
  for (const subscription of subscriptions) {
    const delivery = await deliverDigest(deps, subscription, options.force);
    deliveries.push(delivery);
    options.onDelivery?.(delivery);
  }
  return deliveries;
}

/** Whether a workspace has an installation: its own, or (as its subscriptions record) its org's. */
function isInstalled(
  teamId: string,
  subscriptions: readonly DigestSubscription[],
  installed: readonly InstallationKey[],
): boolean {
  const orgs = new Set([null, ...subscriptions.map((s) => s.enterpriseId)]);
  return [...orgs].some((enterpriseId) => installationOf({ teamId, enterpriseId }, installed) !== null);
}

function notInstalled(teamId: string, installed: readonly InstallationKey[]): NotInstalledError {
  const names = installed.map((i) => i.teamId ?? `org ${i.enterpriseId}`);
  return new NotInstalledError(
    `--team ${teamId}: the app is not installed in workspace ${teamId}, so nothing is posted there. ` +
      (names.length ? `Installed: ${names.join(', ')}.` : 'It is not installed in any workspace.'),
  );
}
