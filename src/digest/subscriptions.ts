/**
 * Which conversations get the digest: those listed in DIGEST_CHANNELS (at
 * the configured default time and zone) and those subscribed with
 * `/ceasefire digest on`. Both live in the store, so the ledger and the
 * failing marks work the same for each. DIGEST_CHANNELS belongs to the
 * workspace of the single bot token (SLACK_BOT_TOKEN) and is re-applied on
 * every start, together with that workspace adopting the digest's rows
 * from before the digest knew workspaces.
 */
import type { Config } from '../config.js';
import type { DigestSubscription, DigestWorkspace, Store } from '../store/store.js';

/**
 * Brings the workspace's configured subscriptions in line with the
 * configuration: adds listed channels, updates their time and zone, and
 * removes channels no longer listed. A channel someone subscribed with the
 * command keeps its own settings. Resolves the workspace's subscriptions.
 */
export async function syncConfiguredSubscriptions(
  store: Store,
  workspace: DigestWorkspace,
  digest: Config['digest'],
): Promise<DigestSubscription[]> {
  const { teamId, enterpriseId } = workspace;
  const stored = new Map((await store.digestSubscriptions(teamId)).map((s) => [s.channelId, s]));
  for (const channelId of digest.channels) {
    const current = stored.get(channelId);
    if (current?.source === 'command') continue;
    if (current && current.time === digest.time && current.timeZone === digest.timeZone) continue;
    await store.saveDigestSubscription({
      teamId,
      channelId,
      enterpriseId,
      time: digest.time,
      timeZone: digest.timeZone,
      source: 'env',
      subscribedBy: null,
    });
  }
  for (const subscription of stored.values()) {
    if (subscription.source === 'env' && !digest.channels.includes(subscription.channelId)) {
      await store.removeDigestSubscription(subscription);
    }
  }
  return store.digestSubscriptions(teamId);
}

/**
 * Readies the single bot token's workspace: it adopts the subscriptions and
 * ledger kept before the digest knew workspaces, then DIGEST_CHANNELS is
 * applied to it. Safe to run from several processes at once.
 */
export async function prepareSingleTokenWorkspace(
  store: Store,
  workspace: DigestWorkspace,
  digest: Config['digest'],
): Promise<{ adopted: number }> {
  const adopted = await store.adoptDigests(workspace);
  await syncConfiguredSubscriptions(store, workspace, digest);
  return { adopted };
}
