// Documentation models of the control plane's wire objects (public-api.md §1.4, §1.6, §2, §4, §6). Each `$id`
// becomes a named component of the OpenAPI document; these schemas are never used to validate or serialise.
import { Type } from '@sinclair/typebox';
import { DestinationMetadataV1, SourceMetadataV1 } from './catalog-models.js';

const Settings = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });

export const PaginationInput = Type.Object(
  {
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Items per page, 1 to 1000 (default 200).' })),
    cursor: Type.Optional(
      Type.String({ description: 'Opaque cursor from a previous page (`current`, `next` or `previous`); omit for the first page.' }),
    ),
  },
  { $id: 'PaginationInput', description: 'Which page of a list to return.' },
);

export const PaginationOutput = Type.Object(
  {
    current: Type.String({ description: 'Cursor of this page.' }),
    next: Type.Optional(Type.String({ description: 'Cursor of the next page; absent on the last page.' })),
    previous: Type.Optional(Type.String({ description: 'Cursor of the previous page; absent on the first page.' })),
    totalEntries: Type.Integer({ description: 'Number of items in the whole collection.' }),
  },
  { $id: 'PaginationOutput', description: 'Where a page sits in its collection.' },
);

export const RequestError = Type.Object(
  {
    type: Type.String({ description: 'Error kind, e.g. `not-found`, `input-validation`, `unauthorized`.' }),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'Dotted path of the offending body field or query parameter.' })),
    data: Type.Optional(Type.Unknown({ description: 'Extra details (rate-limit counters on a 429).' })),
  },
  { $id: 'RequestError', description: 'One reason a request failed.' },
);

export const RequestErrorEnvelope = Type.Object(
  { errors: Type.Array(RequestError, { minItems: 1 }) },
  { $id: 'RequestErrorEnvelope', description: 'Body of every control-plane error response.' },
);

export const WorkspaceV1 = Type.Object(
  { id: Type.String(), name: Type.String(), slug: Type.String() },
  { $id: 'WorkspaceV1', description: 'The workspace the API token belongs to.' },
);

export const LabelV1 = Type.Object({ key: Type.String(), value: Type.String() }, { $id: 'LabelV1' });

export const SourceV1 = Type.Object(
  {
    id: Type.String(),
    slug: Type.String({ description: 'Unique per workspace; `^[a-z0-9][a-z0-9_-]{0,99}$`.' }),
    name: Type.String({ description: 'Defaults to the slug.' }),
    workspaceId: Type.String(),
    enabled: Type.Boolean({ description: 'A disabled source refuses Tracking API calls with 403.' }),
    writeKeys: Type.Array(Type.String(), { description: 'Keys that authenticate Tracking API calls for this source.' }),
    settings: Settings('Source settings, secrets masked.'),
    labels: Type.Array(LabelV1),
    metadata: SourceMetadataV1,
  },
  { $id: 'SourceV1', description: 'A source of events (SourceAlpha has the same shape).' },
);

export const DestinationV1 = Type.Object(
  {
    id: Type.String(),
    name: Type.Union([Type.String(), Type.Null()], { description: '"" when never set.' }),
    enabled: Type.Boolean(),
    sourceId: Type.String(),
    settings: Settings('Exactly the stored settings; non-empty secret values are returned as ten bullets (•).'),
    metadata: DestinationMetadataV1,
  },
  { $id: 'DestinationV1', description: 'A destination connected to a source.' },
);

export const DestinationSubscription = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    actionId: Type.String(),
    actionSlug: Type.String({ description: 'Key of the action in the destination definition.' }),
    destinationId: Type.String(),
    trigger: Type.String({ description: 'FQL condition selecting the events to deliver.' }),
    enabled: Type.Boolean(),
    settings: Settings('The action mapping, as stored.'),
    modelId: Type.Optional(Type.String()),
  },
  { $id: 'DestinationSubscription', description: 'Which events a destination action receives, and how they are mapped.' },
);

export const AuditEventV1 = Type.Object(
  {
    id: Type.String({ description: '`events/<n>`.' }),
    timestamp: Type.String({ format: 'date-time' }),
    type: Type.String({ description: 'e.g. `Integration Created`, `Source Modified`.' }),
    actor: Type.String({ description: '`public-api-token/<token public id>`.' }),
    resourceId: Type.String(),
    resourceType: Type.String({ description: '`destination`, `subscription` or `source`.' }),
    resourceName: Type.String(),
  },
  { $id: 'AuditEventV1', description: 'One change recorded in the audit trail.' },
);

const MetricBreakdown = Type.Object({ metricName: Type.String(), value: Type.Number() });

export const DeliveryMetricsSummary = Type.Object(
  {
    sourceId: Type.String(),
    destinationMetadataId: Type.String(),
    metrics: Type.Array(
      Type.Object({
        metricName: Type.String({
          description: '`successes`, `expired`, `discarded`, `retried`, `time_to_success` or `time_to_first_attempt`.',
        }),
        total: Type.Number({ description: 'A count, or an average in milliseconds for the `time_to_*` metrics.' }),
        breakdown: Type.Optional(Type.Array(MetricBreakdown)),
      }),
    ),
  },
  { $id: 'DeliveryMetricsSummaryBeta', description: 'Delivery outcomes of one destination for one source over a window.' },
);

export const DeleteStatus = Type.Object(
  { status: Type.Literal('SUCCESS') },
  { $id: 'DeleteStatus', description: 'Result of a delete or remove operation.' },
);
