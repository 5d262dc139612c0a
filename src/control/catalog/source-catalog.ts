// Source catalog (public-api.md §6.3): Segment's own ids for the five library sources we accept
// events from; slugs are ours. Fixed data, so it lives in code rather than the generated catalog file.
import type { SourceMetadata } from './catalog.types.js';

function source(id: string, slug: string, name: string, category: string, description: string): SourceMetadata {
  return { id, slug, name, description, categories: [category], logos: { default: '' }, options: [], isCloudEventSource: false };
}

export const SOURCE_CATALOG: readonly SourceMetadata[] = Object.freeze([
  source('iUM16Md8P2', 'http-api', 'HTTP API', 'Server', 'Send events from any language or tool straight to the Tracking API over HTTP.'),
  source('U9mT0bPcI6', 'node-js', 'Node.js', 'Server', 'Send events from Node.js services with the analytics-node library.'),
  source('XRksQPCr7X', 'python', 'Python', 'Server', 'Send events from Python applications with the analytics-python library.'),
  source('IqDTy1TpoU', 'javascript', 'Javascript', 'Website', 'Collect page views and events from websites with Analytics.js.'),
  source('UBrsG9RVzw', 'ios', 'iOS', 'Mobile', 'Collect screens and events from iPhone and iPad apps.'),
]);

const SOURCES_BY_ID = new Map(SOURCE_CATALOG.map((metadata) => [metadata.id, metadata]));

/** Source metadata by its 10-char id, or undefined when the id is not in the catalog. */
export function findSourceMetadata(id: string): SourceMetadata | undefined {
  return SOURCES_BY_ID.get(id);
}
