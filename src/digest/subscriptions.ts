/**
 * Which channels get the digest: those listed in DIGEST_CHANNELS (at the
 * configured default time and zone) and those subscribed with
 * `/ceasefire digest on`. Both live in the store, so the ledger and the
 * failing marks work the same for each; the configuration is re-applied on
 * every start.
 */
import type { Config } from '../config.js';
import type { DigestSubscription, Store } from '../store/store.js';

/**
 * Brings the store's configured subscriptions in line with the
 * configuration: adds listed channels, updates their time and zone, and
 * removes channels no longer listed. A channel someone subscribed with the
 * command keeps its own settings.
 */
export async function syncConfiguredSubscriptions(
  store: Store,
  digest: Config['digest'],
): Promise<DigestSubscription[]> {
  const stored = new Map((await store.digestSubscriptions()).map((s) => [s.channelId, s]));
  for (const channelId of digest.channels) {
    const current = stored.get(channelId);
    if (current?.source === 'command') continue;
    if (current && current.time === digest.time && current.timeZone === digest.timeZone) continue;
    await store.saveDigestSubscription({
      channelId,
      time: digest.time,
      timeZone: digest.timeZone,
      source: 'env',
      subscribedBy: null,
    });
  }
  for (const subscription of stored.values()) {
    if (subscription.source === 'env' && !digest.channels.includes(subscription.channelId)) {
      await store.removeDigestSubscription(subscription.channelId);
    }
  }
  return store.digestSubscriptions();
}
