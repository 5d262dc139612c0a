// The SDK suite's shape checks, applied to switchyard/client models. The SDK declares TypeScript enums where the
// wire carries plain strings (`status`), so its model types do not accept ours; the runtime checks are the same.
import type { Destination, DestinationMetadata } from '../../src/client/index.js';
import * as sdkShapes from '../sdk/sdk-shapes.js';

export { expectAuditEvent, expectPagination, expectSource, expectSourceMetadata, expectSubscription } from '../sdk/sdk-shapes.js';

export const expectDestinationMetadata = sdkShapes.expectDestinationMetadata as unknown as (metadata: DestinationMetadata) => void;

export const expectDestination = sdkShapes.expectDestination as unknown as (destination: Destination, expected: Partial<Destination>) => void;
