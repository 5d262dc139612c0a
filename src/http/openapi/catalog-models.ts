// Documentation models of the catalog wire objects (public-api.md §2, §6.3, §7). Each `$id` becomes a named
// component of the OpenAPI document; these schemas are never compiled for validation or serialisation.
import { Type, type TSchema } from '@sinclair/typebox';
import { StringEnum } from './string-enum.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const LogosBeta = Type.Object(
  {
    default: Type.String({ description: 'URL of the default logo ("" when none is known).' }),
    mark: Type.Optional(Nullable(Type.String({ description: 'URL of the square logo mark.' }))),
    alt: Type.Optional(Type.String({ description: 'Alternative text of the logo.' })),
  },
  { $id: 'LogosBeta', description: 'Logos of a catalog entry.' },
);

export const IntegrationOptionBeta = Type.Object(
  {
    name: Type.String({ description: 'Settings key the option is stored under.' }),
    type: Type.String({ description: 'Value type, lowercase (string, password, boolean, number, integer, object, array, …).' }),
    required: Type.Boolean({ description: 'Whether an enabled destination needs a non-empty value.' }),
    description: Type.Optional(Type.String()),
    defaultValue: Type.Optional(Type.Unknown({ description: 'Value used when none is stored (null when there is none).' })),
    label: Type.Optional(Type.String({ description: 'Human-readable name of the option.' })),
  },
  { $id: 'IntegrationOptionBeta', description: 'One setting a destination or source accepts.' },
);

export const DestinationMetadataActionFieldV1 = Type.Object(
  {
    id: Type.String(),
    sortOrder: Type.Number({ description: 'Position of the field in the action definition.' }),
    fieldKey: Type.String({ description: 'Key of the field in a subscription mapping.' }),
    label: Type.String(),
    type: StringEnum(['BOOLEAN', 'DATETIME', 'HIDDEN', 'INTEGER', 'NUMBER', 'OBJECT', 'PASSWORD', 'STRING', 'TEXT']),
    description: Type.String(),
    required: Type.Boolean(),
    multiple: Type.Boolean({ description: 'Whether the field takes a list of values.' }),
    dynamic: Type.Boolean({ description: 'Whether the choices are fetched from the destination at edit time.' }),
    allowNull: Type.Boolean(),
    defaultValue: Type.Optional(Type.Unknown({ description: 'Default mapping of the field, often a `@path` directive.' })),
    choices: Type.Optional(Type.Union([Type.Array(Type.Unknown()), Type.Null()])),
  },
  { $id: 'DestinationMetadataActionFieldV1', description: 'One input field of an action.' },
);

export const DestinationMetadataActionV1 = Type.Object(
  {
    id: Type.String({ description: 'Stable action id; subscriptions reference it as `actionId`.' }),
    slug: Type.String({ description: 'Action key, e.g. `send`.' }),
    name: Type.String(),
    description: Type.String(),
    platform: StringEnum(['CLOUD', 'MOBILE', 'WEB']),
    hidden: Type.Boolean(),
    defaultTrigger: Type.Optional(Nullable(Type.String({ description: 'FQL trigger suggested for new subscriptions.' }))),
    fields: Type.Array(DestinationMetadataActionFieldV1),
  },
  { $id: 'DestinationMetadataActionV1', description: 'An action a destination can perform for a subscription.' },
);

export const DestinationMetadataSubscriptionPresetV1 = Type.Object(
  {
    actionId: Type.String(),
    name: Type.String(),
    trigger: Type.String({ description: 'FQL trigger of the preset.' }),
    fields: Type.Record(Type.String(), Type.Unknown(), { description: 'Preset mapping of the action fields.' }),
  },
  { $id: 'DestinationMetadataSubscriptionPresetV1', description: 'A ready-made subscription suggested by the destination.' },
);

export const DestinationMetadataComponentV1 = Type.Object(
  {
    type: StringEnum(['ANDROID', 'BROWSER', 'IOS', 'SERVER']),
    owner: Type.Optional(StringEnum(['PARTNER', 'SEGMENT'])),
    code: Type.String({ description: 'Where the code of the component lives.' }),
  },
  { $id: 'DestinationMetadataComponentV1', description: 'A piece of code that implements the destination.' },
);

export const DestinationMetadataFeaturesV1 = Type.Object(
  {
    cloudModeInstances: Type.Optional(Type.String({ description: 'One of "0", "1", "MULTIPLE", "NONE", "SINGLE".' })),
    deviceModeInstances: Type.Optional(Type.String({ description: 'One of "0", "1", "NONE", "SINGLE".' })),
    replay: Type.Optional(Type.Boolean()),
    browserUnbundling: Type.Optional(Type.Boolean()),
    browserUnbundlingPublic: Type.Optional(Type.Boolean()),
  },
  { $id: 'DestinationMetadataFeaturesV1', additionalProperties: true, description: 'Features the destination supports.' },
);

export const DestinationMetadataMethodsV1 = Type.Object(
  {
    track: Type.Optional(Type.Boolean()),
    pageview: Type.Optional(Type.Boolean()),
    identify: Type.Optional(Type.Boolean()),
    group: Type.Optional(Type.Boolean()),
    alias: Type.Optional(Type.Boolean()),
  },
  { $id: 'DestinationMetadataMethodsV1', additionalProperties: true, description: 'Event types the destination handles.' },
);

export const DestinationMetadataPlatformsV1 = Type.Object(
  {
    browser: Type.Optional(Type.Boolean()),
    server: Type.Optional(Type.Boolean()),
    mobile: Type.Optional(Type.Boolean()),
  },
  { $id: 'DestinationMetadataPlatformsV1', additionalProperties: true, description: 'Platforms the destination runs on.' },
);

export const DestinationMetadataV1 = Type.Object(
  {
    id: Type.String({ description: 'Catalog id (24 lowercase hex characters).' }),
    name: Type.String(),
    slug: Type.String(),
    description: Type.String(),
    website: Type.String(),
    status: StringEnum(['DEPRECATED', 'PRIVATE_BETA', 'PRIVATE_BUILDING', 'PRIVATE_SUBMITTED', 'PUBLIC', 'PUBLIC_BETA', 'UNAVAILABLE']),
    categories: Type.Array(Type.String()),
    previousNames: Type.Array(Type.String()),
    logos: LogosBeta,
    options: Type.Array(IntegrationOptionBeta),
    components: Type.Array(DestinationMetadataComponentV1),
    supportedFeatures: DestinationMetadataFeaturesV1,
    supportedMethods: DestinationMetadataMethodsV1,
    supportedPlatforms: DestinationMetadataPlatformsV1,
    actions: Type.Array(DestinationMetadataActionV1),
    presets: Type.Array(DestinationMetadataSubscriptionPresetV1),
    contacts: Type.Optional(
      Type.Array(
        Type.Object({
          name: Type.Optional(Type.String()),
          email: Type.String(),
          role: Type.Optional(Type.String()),
          isPrimary: Type.Optional(Type.Boolean()),
        }),
      ),
    ),
    partnerOwned: Type.Optional(Type.Boolean()),
    supportedRegions: Type.Optional(Type.Array(Type.String())),
    regionEndpoints: Type.Optional(Type.Array(Type.String())),
  },
  { $id: 'DestinationMetadataV1', description: 'A destination catalog entry; embedded whole in every destination.' },
);

export const SourceMetadataV1 = Type.Object(
  {
    id: Type.String({ description: 'Catalog id of the source type (10 characters).' }),
    slug: Type.String(),
    name: Type.String(),
    description: Type.String(),
    categories: Type.Array(Type.String()),
    logos: LogosBeta,
    options: Type.Array(IntegrationOptionBeta),
    isCloudEventSource: Type.Boolean(),
  },
  { $id: 'SourceMetadataV1', description: 'A source catalog entry.' },
);
