// Classic (pre-Actions) destinations that appear in Segment's published API examples (public-api.md §6.3).
// Ids, names, slugs, option names, option types and required flags follow that reference; everything
// else is ours. They have no runtime here: no actions, no presets, no deliveries.
import type { CatalogEntryFile, DestinationMetadata, IntegrationOption } from './catalog.types.js';

// Neutral starting value per option type; classic options carry no vendor defaults here.
function neutralDefault(type: string): unknown {
  switch (type) {
    case 'boolean':
      return false;
    case 'string':
    case 'password':
    case 'text':
      return '';
    case 'map':
    case 'text-map':
      return {};
    case 'array':
    case 'strings':
      return [];
    default:
      return null;
  }
}

function option(name: string, type: string, required: boolean, label: string, description: string): IntegrationOption {
  return { name, type, required, description, defaultValue: neutralDefault(type), label };
}

export function classicEntry(
  fields: Pick<DestinationMetadata, 'id' | 'name' | 'slug' | 'description' | 'website' | 'categories' | 'options'>,
  readOnlyOptions: string[] = [],
): CatalogEntryFile {
  // Same key order as the generated entries, so every catalog object reads alike.
  const metadata: DestinationMetadata = {
    id: fields.id,
    name: fields.name,
    slug: fields.slug,
    description: fields.description,
    website: fields.website,
    status: 'PUBLIC',
    categories: fields.categories,
    previousNames: [fields.name],
    logos: { default: '', mark: null, alt: fields.name },
    options: fields.options,
    // No code of ours runs for these, so no component is advertised.
    components: [],
    supportedFeatures: {
      cloudModeInstances: 'MULTIPLE',
      deviceModeInstances: 'NONE',
      replay: false,
      browserUnbundling: false,
      browserUnbundlingPublic: false,
    },
    supportedMethods: { track: true, pageview: true, identify: true, group: true, alias: true },
    supportedPlatforms: { browser: false, server: true, mobile: false },
    actions: [],
    presets: [],
    contacts: [],
    partnerOwned: false,
    supportedRegions: [],
    regionEndpoints: [],
  };
  return { metadata, readOnlyOptions, runtimeDirectory: null };
}

const amplitude = classicEntry({
  id: '54521fd525e721e32a72ee91',
  name: 'Amplitude',
  slug: 'amplitude',
  description: 'Product analytics: event tracking, funnels, retention and cohort analysis for web and mobile apps.',
  website: 'https://amplitude.com',
  categories: ['Analytics'],
  options: [
    option('apiKey', 'string', true, 'API Key', 'Project API key from the Amplitude project settings.'),
    option('appendFieldsToEventProps', 'text-map', false, 'Extra Event Properties',
      'Message fields to copy into the event properties of every track call, keyed by message path.'),
    option('batchEvents', 'boolean', false, 'Batch Events',
      'Queue events on the client and upload them in groups instead of one request per event.'),
    option('deviceIdFromUrlParam', 'boolean', false, 'Device ID From URL',
      'Take the device id from the `amp_device_id` query parameter when it is present.'),
    option('enableLocationListening', 'boolean', false, 'Location Listening',
      'Mobile only: attach the device location when the app already holds location permission.'),
  ],
});

const googleUniversalAnalytics = classicEntry({
  id: '54521fd725e721e32a72eebb',
  name: 'Google Universal Analytics',
  slug: 'google-analytics',
  description: 'The Universal Analytics generation of Google Analytics: page views, events and e-commerce reports.',
  website: 'https://marketingplatform.google.com/about/analytics/',
  categories: ['Analytics'],
  options: [
    option('anonymizeIp', 'boolean', false, 'Anonymize IP', 'Drop the last octet of visitor IP addresses.'),
    option('classic', 'boolean', false, 'Classic Analytics', 'Use the legacy ga.js tracker instead of analytics.js.'),
    option('contentGroupings', 'map', false, 'Content Groupings', 'Page properties mapped to content grouping indexes.'),
    option('dimensions', 'map', false, 'Custom Dimensions', 'Traits or properties mapped to custom dimension indexes.'),
    option('domain', 'string', false, 'Cookie Domain', 'Domain the tracking cookie is written for.'),
    option('doubleClick', 'boolean', false, 'Display Features', 'Turn on advertising and demographics features.'),
    option('enableServerIdentify', 'boolean', false, 'Server-side Identify', 'Send identify calls from servers as events.'),
    option('enhancedEcommerce', 'boolean', false, 'Enhanced E-commerce', 'Report e-commerce events with the enhanced plugin.'),
    option('enhancedLinkAttribution', 'boolean', false, 'Enhanced Link Attribution', 'Tell apart several links to one page.'),
    option('identifyCategory', 'string', false, 'Identify Event Category', 'Event category used for identify calls.'),
    option('identifyEventName', 'string', false, 'Identify Event Action', 'Event action used for identify calls.'),
    option('ignoredReferrers', 'strings', false, 'Ignored Referrers', 'Referring domains to treat as direct traffic.'),
    option('includeSearch', 'boolean', false, 'Include Query String', 'Keep the query string in reported page paths.'),
    option('metrics', 'map', false, 'Custom Metrics', 'Traits or properties mapped to custom metric indexes.'),
    option('mobileTrackingId', 'string', true, 'Mobile Tracking ID', 'Property id used for events from mobile apps.'),
    option('nameTracker', 'boolean', false, 'Named Tracker', 'Register the tracker under its own name.'),
    option('nonInteraction', 'boolean', false, 'Non-interaction Events', 'Mark events as not affecting bounce rate.'),
    option('optimize', 'string', false, 'Optimize Container ID', 'Container id of a Google Optimize experiment.'),
    option('preferAnonymousId', 'boolean', false, 'Prefer Anonymous ID', 'Use the anonymous id as client id when both exist.'),
    option('protocolMappings', 'map', false, 'Protocol Mappings', 'Measurement protocol parameters mapped from properties.'),
    option('reportUncaughtExceptions', 'boolean', false, 'Report Exceptions', 'Mobile only: report uncaught exceptions.'),
    option('resetCustomDimensionsOnPage', 'array', false, 'Reset Dimensions On Page', 'Dimensions cleared on each page call.'),
    option('sampleRate', 'number', false, 'Sample Rate', 'Percentage of visitors to track.'),
    option('sendUserId', 'boolean', false, 'Send User ID', 'Forward the user id to the property.'),
    option('serversideClassic', 'boolean', false, 'Server-side Classic', 'Send server events in the legacy format.'),
    option('serversideTrackingId', 'string', true, 'Server Tracking ID', 'Property id used for events sent from servers.'),
    option('setAllMappedProps', 'boolean', false, 'Set All Mapped Properties', 'Set mapped dimensions on every call.'),
    option('siteSpeedSampleRate', 'number', false, 'Site Speed Sample Rate', 'Percentage of page loads timed.'),
    option('topLevelContextMapping', 'boolean', false, 'Map Top-level Context', 'Allow dimensions from top-level context fields.'),
    option('trackCategorizedPages', 'boolean', false, 'Track Categorized Pages', 'Also send an event for pages with a category.'),
    option('trackNamedPages', 'boolean', false, 'Track Named Pages', 'Also send an event for pages with a name.'),
    option('trackingId', 'string', true, 'Website Tracking ID', 'Property id used for events from websites.'),
    option('typeOverride', 'boolean', false, 'Override Hit Type', 'Let a property choose the hit type of an event.'),
    option('useGoogleAmpClientId', 'boolean', false, 'AMP Client ID', 'Reuse the client id of AMP pages.'),
    option('userDeletion', 'string', false, 'User Deletion', 'How user deletion requests are handled.'),
  ],
});

const blueshift = classicEntry({
  id: '547610a5db31d978f14a5c4e',
  name: 'Blueshift',
  slug: 'blueshift',
  description: 'Cross-channel marketing automation that personalises email, push and ads from customer behaviour.',
  website: 'https://blueshift.com',
  categories: ['Email Marketing'],
  options: [
    option('apiKey', 'string', true, 'API Key', 'Event API key of the Blueshift account.'),
    option('retarget', 'boolean', true, 'Retarget', 'Use page calls made in the browser for retargeting.'),
  ],
});

const amazonKinesis = classicEntry(
  {
    id: '57da359580412f644ff33fb9',
    name: 'Amazon Kinesis',
    slug: 'amazon-kinesis',
    description: 'Writes every event as a record into an Amazon Kinesis data stream for custom processing.',
    website: 'https://aws.amazon.com/kinesis/',
    categories: ['Raw Data'],
    options: [
      option('region', 'string', true, 'Stream Region', 'AWS region of the stream, such as us-west-2.'),
      option('roleAddress', 'string', true, 'IAM Role ARN', 'ARN of the IAM role assumed to put records.'),
      option('secretId', 'string', true, 'External ID (Read-Only)',
        'External id required by the IAM role trust policy; set by the service and never changed by clients.'),
      option('stream', 'string', true, 'Stream Name', 'Name of the Kinesis data stream.'),
      option('useMessageId', 'boolean', false, 'Partition By Message ID',
        'Use the message id as partition key instead of the user or anonymous id, spreading load evenly.'),
    ],
  },
  ['secretId'],
);

const adRoll = classicEntry({
  id: '54521fd525e721e32a72ee8e',
  name: 'AdRoll',
  slug: 'adroll',
  description: 'Retargeting and display advertising that follows site visitors across the web and social networks.',
  website: 'https://www.adroll.com',
  categories: ['Advertising'],
  options: [
    option('_version', 'number', false, 'Settings Version', 'Internal revision of this settings layout.'),
    option('advId', 'string', true, 'Advertiser ID', 'Advertiser id shown in the AdRoll pixel snippet.'),
    option('events', 'text-map', false, 'Event Segments', 'Track event names mapped to AdRoll segment ids.'),
    option('pixId', 'string', true, 'Pixel ID', 'Pixel id shown in the AdRoll pixel snippet.'),
  ],
});

export const CLASSIC_OVERLAY: readonly CatalogEntryFile[] = [
  amplitude,
  googleUniversalAnalytics,
  blueshift,
  amazonKinesis,
  adRoll,
];
