// What becomes of one catalog preset when an operator applies a destination's presets.
// Presets come from the action-destinations package as written upstream, and a few do not pass our checks
// (a value outside the field's choices, a trigger we cannot read exactly). Applying presets must never abort
// half-way over one of them, so each preset is classified on its own:
// - passes every check                       → created enabled (what the catalog intends);
// - only lacks required fields (no default)  → created disabled, so the operator can complete and enable it;
//   an enabled subscription that cannot build its payload would discard every event it matches;
// - malformed trigger or mapping, or unknown action → skipped, with the reasons.
import { checkMapping } from '../../actions/mapping.js';
import { checkTrigger } from '../../actions/trigger.js';
import type { DestinationAction, SubscriptionPreset } from '../catalog/catalog.types.js';

export type PresetPlan =
  | { kind: 'enabled'; action: DestinationAction }
  | { kind: 'disabled'; action: DestinationAction; reasons: string[] }
  | { kind: 'skipped'; reasons: string[] };

export function planPreset(preset: SubscriptionPreset, actions: ReadonlyMap<string, DestinationAction>): PresetPlan {
  const action = actions.get(preset.actionId);
  if (!action) return { kind: 'skipped', reasons: [`action ${preset.actionId} is not part of this catalog entry`] };
  const reasons: string[] = [];
  const trigger = checkTrigger(preset.trigger);
  if (!trigger.ok) reasons.push(trigger.reason);
  // Checked as a disabled subscription first: shape and type problems only, no required-field demands.
  reasons.push(...checkMapping(action.fields, preset.fields, { enabled: false }).map((issue) => issue.message));
  if (reasons.length > 0) return { kind: 'skipped', reasons };
  const missing = checkMapping(action.fields, preset.fields, { enabled: true }).map((issue) => issue.message);
  return missing.length > 0 ? { kind: 'disabled', action, reasons: missing } : { kind: 'enabled', action };
}
