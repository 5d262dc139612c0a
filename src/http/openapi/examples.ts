// Example wire objects shown in the API reference; shaped exactly like real responses (public-api.md §2).

export const WORKSPACE_ID = '9aQ1Lj62S4bomZKLF4DPqW';
export const SOURCE_ID = 'rh5BDZp6QDHvXFCkibm1pR';
export const DESTINATION_ID = 'fP7qoQw2HTWt9WdMr718gn';
export const SUBSCRIPTION_ID = 'ccyWFBVjSkeVKsyc6YrN8U';
export const WEBHOOK_METADATA_ID = '614a3c7d791c91c41bae7599';
export const SEND_ACTION_ID = 'jiMz7MfHNeHmUckzRnUGkU';
export const WRITE_KEY = 'IGA8Ur1riMfSQeAbHNKua70oMagjBuu8';

export const workspaceExample = { id: WORKSPACE_ID, name: 'Acme', slug: 'acme' };

export const paginationExample = { current: 'MA==', next: 'eyJ2IjoxfQ', totalEntries: 3 };

export const sourceMetadataExample = {
  id: 'IqDTy1TpoU',
  slug: 'javascript',
  name: 'Javascript',
  description: 'Events sent from web pages with analytics.js.',
  categories: ['Website'],
  logos: { default: '' },
  options: [],
  isCloudEventSource: false,
};

export const sourceExample = {
  id: SOURCE_ID,
  slug: 'web',
  name: 'web',
  workspaceId: WORKSPACE_ID,
  enabled: true,
  writeKeys: [WRITE_KEY],
  settings: {},
  labels: [],
  metadata: sourceMetadataExample,
};

export const destinationMetadataExample = {
  id: WEBHOOK_METADATA_ID,
  name: 'Webhook',
  slug: 'actions-webhook',
  description: '',
  website: '',
  status: 'PUBLIC',
  categories: [],
  previousNames: ['Webhook'],
  logos: { default: '', mark: null, alt: 'Webhook' },
  options: [
    { name: 'sharedSecret', type: 'string', required: false, description: 'Signs each request.', defaultValue: null, label: 'Shared Secret' },
  ],
  components: [
    {
      type: 'SERVER',
      owner: 'SEGMENT',
      code: 'https://github.com/segmentio/action-destinations/tree/main/packages/destination-actions/src/destinations/webhook',
    },
  ],
  supportedFeatures: { cloudModeInstances: 'MULTIPLE', deviceModeInstances: 'NONE', replay: false, browserUnbundling: false, browserUnbundlingPublic: false },
  supportedMethods: { track: true, pageview: true, identify: true, group: true, alias: true },
  supportedPlatforms: { browser: false, server: true, mobile: false },
  actions: [
    {
      id: SEND_ACTION_ID,
      slug: 'send',
      name: 'Send',
      description: 'Send an HTTP request.',
      platform: 'CLOUD',
      hidden: false,
      defaultTrigger: null,
      fields: [
        {
          id: 'Qx7tWZ3mEp2bY9kRcV4nLs',
          sortOrder: 0,
          fieldKey: 'url',
          label: 'URL',
          type: 'STRING',
          description: 'Where the request is sent.',
          required: true,
          multiple: false,
          dynamic: false,
          allowNull: false,
          defaultValue: null,
          choices: null,
        },
      ],
    },
  ],
  presets: [],
  contacts: [],
  partnerOwned: false,
  supportedRegions: [],
  regionEndpoints: [],
};

export const destinationExample = {
  id: DESTINATION_ID,
  name: 'orders hook',
  enabled: false,
  sourceId: SOURCE_ID,
  settings: { sharedSecret: '••••••••••' },
  metadata: destinationMetadataExample,
};

export const subscriptionExample = {
  id: SUBSCRIPTION_ID,
  name: 'Orders to hook',
  actionId: SEND_ACTION_ID,
  actionSlug: 'send',
  destinationId: DESTINATION_ID,
  trigger: 'type = "track" and event = "Order Completed"',
  enabled: true,
  settings: { url: 'https://example.org/hook', data: { '@path': '$.properties' } },
};

export const auditEventExample = {
  id: 'events/1042',
  timestamp: '2025-11-26T12:00:00.000Z',
  type: 'Integration Created',
  actor: 'public-api-token/TJ7z8cg6',
  resourceId: DESTINATION_ID,
  resourceType: 'destination',
  resourceName: 'orders hook',
};

export const deliveryMetricsExample = {
  sourceId: SOURCE_ID,
  destinationMetadataId: WEBHOOK_METADATA_ID,
  metrics: [
    {
      metricName: 'successes',
      total: 120,
      breakdown: [
        { metricName: 'successes_on_first_attempt', value: 100 },
        { metricName: 'successes_after_retry', value: 20 },
      ],
    },
    { metricName: 'expired', total: 0 },
    { metricName: 'discarded', total: 3 },
    { metricName: 'retried', total: 41 },
    {
      metricName: 'time_to_success',
      total: 850,
      breakdown: [
        { metricName: 'time_to_success_average', value: 850 },
        { metricName: 'time_to_success_p95', value: 4200 },
      ],
    },
    {
      metricName: 'time_to_first_attempt',
      total: 95,
      breakdown: [
        { metricName: 'time_to_first_attempt_average', value: 95 },
        { metricName: 'time_to_first_attempt_p95', value: 310 },
      ],
    },
  ],
};

export const failedDeliveryExample = {
  id: '311',
  eventId: '8f0c8d0e-5b7a-4f43-9d0e-6c1f6f1f2a10',
  messageId: 'node-next-1795698086520-2818538b',
  subscriptionId: SUBSCRIPTION_ID,
  sourceId: SOURCE_ID,
  outcome: 'discarded',
  reason: 'http-4xx',
  status: 400,
  error: 'Bad Request',
  responseExcerpt: '{"error":"unknown field"}',
  attempts: 1,
  firstAttemptAt: '2025-11-26T12:00:01.250Z',
  lastAttemptAt: '2025-11-26T12:00:01.410Z',
  replayedAt: null,
};

export const sourceEventExample = {
  id: '8f0c8d0e-5b7a-4f43-9d0e-6c1f6f1f2a10',
  type: 'track',
  event: 'Order Completed',
  messageId: 'node-next-1795698086520-2818538b',
  userId: 'u1',
  anonymousId: null,
  receivedAt: '2025-11-26T12:00:00.980Z',
};

export const trackEventExample = {
  userId: 'u1',
  event: 'Order Completed',
  properties: { total: 25, currency: 'EUR' },
  timestamp: '2025-11-26T12:00:00.000Z',
};

export const batchExample = {
  batch: [
    { type: 'identify', userId: 'u1', traits: { email: 'ada@example.org' } },
    { type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 25 }, messageId: 'm-1' },
  ],
  sentAt: '2025-11-26T12:00:00.120Z',
};
