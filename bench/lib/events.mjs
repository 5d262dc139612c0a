// Track events of about 1 KB, and batch bodies whose messageIds are unique per request without re-serialising
// the whole batch each time (the load generator must stay cheaper than the server it loads).

export const EVENT_TARGET_BYTES = 1024;
const ID_MARK = '~ID~';

/** One ~1 KB track event; `messageId` is left to the caller. */
export function benchEvent(i, messageId) {
  const event = {
    type: 'track',
    event: 'Order Completed',
    userId: `user-${i % 997}`,
    anonymousId: `anon-${(i * 7919) % 100_003}`,
    messageId,
    timestamp: new Date(Date.UTC(2025, 0, 1, 12, 0, i % 60)).toISOString(),
    context: {
      library: { name: 'switchyard-bench', version: '1.0.0' },
      ip: '127.0.0.1',
      locale: 'en-US',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    },
    properties: {
      orderId: `order-${i}`,
      revenue: 42.5,
      currency: 'EUR',
      products: [
        { sku: 'SKU-1', name: 'Blue mug', price: 12.5, quantity: 1 },
        { sku: 'SKU-2', name: 'Green teapot', price: 30, quantity: 1 },
      ],
      note: '',
    },
  };
  const size = Buffer.byteLength(JSON.stringify(event));
  event.properties.note = 'x'.repeat(Math.max(0, EVENT_TARGET_BYTES - size));
  return event;
}

/**
 * A `/v1/batch` body factory: `body(prefix)` returns the JSON text with messageIds `<prefix>-<n>`.
 * Events are serialised once; only the id prefix is spliced in per request.
 */
export function batchBodyFactory(eventsPerBatch) {
  const events = Array.from({ length: eventsPerBatch }, (_, i) => benchEvent(i, `${ID_MARK}-${i}`));
  const parts = JSON.stringify({ batch: events, context: { library: { name: 'switchyard-bench' } } }).split(ID_MARK);
  return (prefix) => parts.join(prefix);
}

/** Unique, short id prefixes: run tag + counter (messageIds stay far below the 100-character limit). */
export function idPrefixes(tag = Math.random().toString(36).slice(2, 8)) {
  let n = 0;
  return () => `${tag}${(n++).toString(36)}`;
}

export function basicAuth(writeKey) {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
}
