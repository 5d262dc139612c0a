// Which subscriptions an event goes to (data-plane.md §8, routing).
import { matchesTrigger } from '../../actions/trigger.js';
import type { SourceRoute } from './routing-table.js';

export interface RoutedDelivery {
  destinationId: string;
  subscriptionId: string;
}

/** `integrations: {"<name>": false}` skips a destination; `{"All": false}` skips all but those named truthy. */
function allowedByIntegrations(integrations: unknown, metadataName: string): boolean {
  if (!integrations || typeof integrations !== 'object') return true;
  const flags = integrations as Record<string, unknown>;
  if (flags[metadataName] === false) return false;
  if (flags.All === false) return Boolean(flags[metadataName]);
  return true;
}

export function routeEvent(source: SourceRoute, event: Record<string, unknown>): RoutedDelivery[] {
  const routed: RoutedDelivery[] = [];
  for (const destination of source.destinations) {
    if (!allowedByIntegrations(event.integrations, destination.metadataName)) continue;
    for (const subscription of destination.subscriptions) {
      if (subscription.trigger && matchesTrigger(subscription.trigger, event)) {
        routed.push({ destinationId: destination.destinationId, subscriptionId: subscription.subscriptionId });
      }
    }
  }
  return routed;
}
