// API reference entry of the delivery metrics route (see src/http/openapi/operation-doc.ts).
import { Type } from '@sinclair/typebox';
import { deliveryMetricsExample, SOURCE_ID } from '../../http/openapi/examples.js';
import { DeliveryMetricsSummary } from '../../http/openapi/models.js';
import { controlOperation, dataResponse } from '../../http/openapi/operation-doc.js';
import { StringEnum } from '../../http/openapi/string-enum.js';

export const deliveryMetricsDoc = controlOperation({
  operationId: 'listDeliveryMetricsSummaryFromDestination',
  summary: 'List Delivery Metrics Summary from Destination',
  description:
    'Sums the delivery outcomes of the destination for one source over a window. Defaults and limits depend on ' +
    '`granularity`: MINUTE (last hour, at most 4 h, within 48 h), HOUR (last 7 days), DAY (last 14 days). ' +
    'Durations are in milliseconds.',
  tags: ['Destinations'],
  query: {
    sourceId: Type.String({ description: 'The destination’s source.', examples: [SOURCE_ID] }),
    startTime: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the window (RFC 3339).' })),
    endTime: Type.Optional(Type.String({ format: 'date-time', description: 'End of the window (RFC 3339), default now.' })),
    granularity: Type.Optional(
      StringEnum(['MINUTE', 'HOUR', 'DAY'], { description: 'Default MINUTE; any case is accepted.' }),
    ),
  },
  responses: {
    200: dataResponse('The summary', { deliveryMetricsSummary: DeliveryMetricsSummary }, { deliveryMetricsSummary: deliveryMetricsExample }),
  },
  errors: [404, 422],
});
