import { type Adapter, FeedFormatError, parseJsonBody } from '../adapter.ts';

/**
 * Vigie's own canonical events as a format (`events`): one event or an array, JSON, as
 * `POST /api/v1/events` takes them. It lets an MQTT topic carry canonical events, and the
 * items `POST /api/v1/events` refused be kept as a dead letter and replayed through the same
 * ingest as every other format. Each item names its own source; one without a source takes the
 * message's, when the message has one.
 */
export const eventsAdapter: Adapter = {
  format: 'events',
  contentTypes: ['application/json'],
  sourceInItems: true,
  decode(body, ctx) {
    const root = parseJsonBody(body);
    if (root === null || typeof root !== 'object') throw new FeedFormatError('the body is one event (an object) or an array of events');
    const list = Array.isArray(root) ? root : [root];
    const items = list.map((item: unknown, index) => {
      const own = item !== null && typeof item === 'object' && !Array.isArray(item) && !Object.hasOwn(item, 'source');
      return { index, item: own && ctx.source ? { ...(item as object), source: ctx.source } : item };
    });
    return { items, rejected: [] };
  },
};
