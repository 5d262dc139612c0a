// Documentation models of the Tracking API bodies and answers (data-plane.md §3, §5). The ingest routes read
// raw bytes and validate in the service, so these schemas only describe; unknown keys are always kept.
import { Type, type TProperties } from '@sinclair/typebox';
import { StringEnum } from './string-enum.js';

const JsonObject = (description: string) => Type.Record(Type.String(), Type.Unknown(), { description });
const StringOrNumber = (description: string) => Type.Union([Type.String(), Type.Number()], { description });

/** Fields every call may carry. One of `userId` / `anonymousId` is required (alias: `userId`). */
const COMMON_FIELDS: TProperties = {
  userId: Type.Optional(StringOrNumber('Your id of the user; finite numbers are turned into strings.')),
  anonymousId: Type.Optional(StringOrNumber('Device or cookie id, for calls made before the user is known.')),
  messageId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Deduplication key (per source, 24 h); generated when absent.' }),
  ),
  timestamp: Type.Optional(Type.String({ description: 'When the event happened (ISO-8601); corrected for client clock skew with `sentAt`.' })),
  sentAt: Type.Optional(Type.String({ description: 'When the client sent the request (ISO-8601).' })),
  context: Type.Optional(JsonObject('Context of the call (library, ip, page, device, …).')),
  integrations: Type.Optional(JsonObject('Per-destination switches.')),
  writeKey: Type.Optional(Type.String({ description: 'Write key, when not sent as Basic credentials.' })),
};

const eventModel = (id: string, description: string, own: TProperties) =>
  Type.Object({ ...COMMON_FIELDS, ...own }, { $id: id, description, additionalProperties: true });

export const TrackEvent = eventModel('TrackEvent', 'A user action.', {
  event: Type.String({ minLength: 1, description: 'Name of the action, e.g. `Order Completed`.' }),
  properties: Type.Optional(JsonObject('Properties of the action.')),
});

export const IdentifyEvent = eventModel('IdentifyEvent', 'Who the user is.', {
  traits: Type.Optional(JsonObject('Traits of the user (email, name, …).')),
});

export const PageEvent = eventModel('PageEvent', 'A web page view.', {
  name: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  properties: Type.Optional(JsonObject('Properties of the page (url, title, …).')),
});

export const ScreenEvent = eventModel('ScreenEvent', 'A mobile screen view.', {
  name: Type.Optional(Type.String()),
  category: Type.Optional(Type.String()),
  properties: Type.Optional(JsonObject('Properties of the screen.')),
});

export const GroupEvent = eventModel('GroupEvent', 'Links the user to a group (company, team, …).', {
  groupId: StringOrNumber('Id of the group; numbers are turned into strings.'),
  traits: Type.Optional(JsonObject('Traits of the group.')),
});

export const AliasEvent = eventModel('AliasEvent', 'Merges a previous identity into `userId` (which is required here).', {
  previousId: Type.String({ description: 'The previous id of the user.' }),
});

export const BatchEvent = Type.Object(
  {
    ...COMMON_FIELDS,
    type: StringEnum(['track', 'identify', 'page', 'screen', 'group', 'alias']),
    event: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    category: Type.Optional(Type.String()),
    properties: Type.Optional(JsonObject('Properties (track, page, screen).')),
    traits: Type.Optional(JsonObject('Traits (identify, group).')),
    groupId: Type.Optional(StringOrNumber('Group id (group).')),
    previousId: Type.Optional(Type.String({ description: 'Previous id (alias).' })),
  },
  { $id: 'BatchEvent', description: 'One event of a batch; the rules of its `type` apply.', additionalProperties: true },
);

export const BatchRequest = Type.Object(
  {
    batch: Type.Array(BatchEvent, { maxItems: 2500, description: 'Up to 2,500 events (512,000 bytes per request).' }),
    context: Type.Optional(JsonObject('Merged under every item’s own context.')),
    integrations: Type.Optional(JsonObject('Merged under every item’s own integrations.')),
    sentAt: Type.Optional(Type.String({ description: 'Used for items without their own `sentAt`.' })),
    writeKey: Type.Optional(Type.String({ description: 'Write key, when not sent as Basic credentials.' })),
  },
  { $id: 'BatchRequest', description: 'Several events in one request.', additionalProperties: true },
);

const FieldError = Type.Object({
  type: Type.String({ description: 'Always `input-validation`.' }),
  field: Type.Optional(Type.String({ description: 'Top-level field at fault (`$` for the event as a whole).' })),
  message: Type.String(),
});

export const IngestSuccess = Type.Object(
  {
    success: Type.Literal(true),
    rejected: Type.Optional(
      Type.Array(
        Type.Object({
          index: Type.Integer({ description: 'Position of the event in `batch`.' }),
          messageId: Type.Optional(Type.String()),
          errors: Type.Array(FieldError),
        }),
        { description: 'Batch events that were refused; every other event was stored.' },
      ),
    ),
  },
  { $id: 'IngestSuccess', description: 'The events were stored durably.' },
);

export const IngestError = Type.Object(
  {
    success: Type.Literal(false),
    code: Type.String({ description: '`bad-request`, `payload-too-large`, `input-validation`, `unauthorized`, `forbidden`, `not-found`, `rate-limited` or `unavailable`.' }),
    message: Type.String(),
    errors: Type.Optional(Type.Array(FieldError)),
  },
  { $id: 'IngestError', description: 'Body of every Tracking API error response.' },
);
