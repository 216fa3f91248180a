/**
 * Every request Slack sends is acknowledged, in both modes: one that no
 * listener takes (a button of an older version after an `action_id`
 * changed, a view submission, an event type not subscribed to) is
 * acknowledged once every listener has run. Unacknowledged, Slack would show
 * the person an error and, in Socket Mode, deliver the envelope again.
 */
import { type App, type ReceiverEvent, SocketModeReceiver } from '@slack/bolt';

/**
 * The app as a receiver sees it, with one difference: a request still
 * unacknowledged once every listener has run is one no listener takes, and
 * is acknowledged then, with an empty body. Receivers only call
 * `processEvent`; everything else is the app itself, through the prototype.
 */
export function acknowledgingUnhandled(app: App): App {
  const processEvent = async (event: ReceiverEvent): Promise<void> => {
    let acked = false;
    const ack: ReceiverEvent['ack'] = (response) => {
      acked = true;
      return event.ack(response);
    };
    await app.processEvent({ ...event, ack });
    if (!acked) await event.ack();
  };
  return Object.assign(Object.create(app) as App, { processEvent });
}

/** Bolt's Socket Mode receiver, acknowledging what no listener takes as HTTP mode does. */
export class AcknowledgingSocketModeReceiver extends SocketModeReceiver {
  override init(app: App): void {
    super.init(acknowledgingUnhandled(app));
  }
}
