import type { FastifyInstance } from 'fastify';
import { dataEnvelope, jsonArray, sendJsonText } from '../../http/json-reply.js';
import { readPageRequest } from '../../http/pagination.js';
import { notFound } from '../errors.js';
import { arrayPageFetcher, fetchPage, type SortKey } from '../paging.js';
import type { CatalogEntry, DestinationCatalog } from './destination-catalog.js';
import { findSourceMetadata, SOURCE_CATALOG } from './source-catalog.js';
import type { SourceMetadata } from './catalog.types.js';
import { getDestinationMetadataDoc, getDestinationsCatalogDoc, getSourceMetadataDoc, getSourcesCatalogDoc } from './catalog.docs.js';

const destinationKey = (entry: CatalogEntry): SortKey => [entry.metadata.name.toLowerCase(), entry.metadata.id];
const sourceKey = (entry: SourceMetadata): SortKey => [entry.name.toLowerCase(), entry.id];

export function catalogRoutes(app: FastifyInstance, catalog: DestinationCatalog): void {
  const destinations = catalog.list();
  const sources = [...SOURCE_CATALOG].sort((a, b) => {
    const [ka, kb] = [sourceKey(a), sourceKey(b)];
    return ka[0] === kb[0] ? (ka[1] < kb[1] ? -1 : 1) : ka[0] < kb[0] ? -1 : 1;
  });

  app.get('/catalog/destinations', { config: { openapi: getDestinationsCatalogDoc } }, async (request, reply) => {
    const { items, pagination } = await fetchPage({
      collection: 'catalog-destinations',
      parent: '',
      request: readPageRequest(request.query),
      keyOf: destinationKey,
      sortKind: 'string',
      fetch: arrayPageFetcher(destinations, destinationKey),
      total: async () => destinations.length,
    });
    const body = dataEnvelope({
      destinationsCatalog: jsonArray(items.map((e) => e.json)),
      pagination: JSON.stringify(pagination),
    });
    return sendJsonText(reply, body);
  });

  app.get<{ Params: { destinationMetadataId: string } }>('/catalog/destinations/:destinationMetadataId', { config: { openapi: getDestinationMetadataDoc } }, async (request, reply) => {
    const entry = catalog.get(request.params.destinationMetadataId);
    if (!entry) throw notFound('Destination metadata', request.params.destinationMetadataId);
    return sendJsonText(reply, dataEnvelope({ destinationMetadata: entry.json }));
  });

  app.get('/catalog/sources', { config: { openapi: getSourcesCatalogDoc } }, async (request) => {
    const { items, pagination } = await fetchPage({
      collection: 'catalog-sources',
      parent: '',
      request: readPageRequest(request.query),
      keyOf: sourceKey,
      sortKind: 'string',
      fetch: arrayPageFetcher(sources, sourceKey),
      total: async () => sources.length,
    });
    return { data: { sourcesCatalog: items, pagination } };
  });

  app.get<{ Params: { sourceMetadataId: string } }>('/catalog/sources/:sourceMetadataId', { config: { openapi: getSourceMetadataDoc } }, async (request) => {
    const metadata = findSourceMetadata(request.params.sourceMetadataId);
    if (!metadata) throw notFound('Source metadata', request.params.sourceMetadataId);
    return { data: { sourceMetadata: metadata } };
  });
}
