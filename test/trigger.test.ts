import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTrigger, matchesTrigger, TriggerCache, type TriggerAst } from '../src/actions/trigger.js';

const require = createRequire(import.meta.url);

function parsed(text: string): TriggerAst {
  const result = checkTrigger(text);
  if (!result.ok) throw new Error(`expected ${text} to be accepted: ${result.reason}`);
  return result.ast;
}

describe('checkTrigger accepts', () => {
  it.each([
    'type = "track"',
    'event = "Order Completed"',
    'type = "track" and event = "A"',
    '(type = "track" or type = "page") and properties.x > 3',
    'contains(event, "Order")',
    '!contains(event, "Order")',
    'match(event, "Order*")',
    '!match(name, "*Viewed")',
    'properties.a.b = "x"',
    'traits.email exists',
    'userId != null',
    'context.page.path = "/"',
    'type = "identify" or type = "group" or type = "alias"',
    'properties.total >= 100 and properties.total < 1000.5',
    'properties.price >= -2.5',
    'properties.vip = true',
    'properties.count != 3',
    'name = null',
    'event exists',
    'type = "track" AND event = "A"',
    'type = "track", event = "Transaction Created"',
    'type="track"',
    '\n  type = "track"\n  and event != "A"\n',
    'properties.first\\ name = "Ada"',
    'event = ""',
    '(type = "track" and event = "A") or (type = "page" and name = "Home")',
  ])('%s', (text) => {
    const result = checkTrigger(text);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.ast.type).toBe('group');
  });

  it('accepts 134 of the 136 distinct default and preset triggers of action-destinations', () => {
    const root = path.dirname(require.resolve('@segment/action-destinations/package.json'));
    const index = readFileSync(path.join(root, 'dist/destinations/index.js'), 'utf8');
    const dirs = [...index.matchAll(/register\('[0-9a-f]{24}',\s*'\.\/([^']+)'\)/g)].map((m) => m[1]!);
    const triggers = new Set<string>();
    for (const dir of dirs) {
      const def = require(path.join(root, 'dist/destinations', dir)).default as {
        actions?: Record<string, { defaultSubscription?: string }>;
        presets?: { subscribe?: string }[];
      };
      for (const action of Object.values(def.actions ?? {})) if (action.defaultSubscription) triggers.add(action.defaultSubscription);
      for (const preset of def.presets ?? []) if (preset.subscribe) triggers.add(preset.subscribe);
    }
    const rejected = [...triggers].filter((t) => !checkTrigger(t).ok);
    expect(triggers.size).toBe(136);
    expect(rejected).toEqual([
      'type = "track" and event == "Cart Updated"',
      'type = "track" and event == "Order Completed"',
    ]);
  });
});

describe('checkTrigger rejects with a specific reason', () => {
  it.each([
    ['', 'is empty'],
    ['   ', 'is empty'],
    ['type = ', 'is missing a value after "type ="'],
    ['type = "track" and', 'ends with "and"'],
    ['type = "track" or', 'ends with "or"'],
    ['and type = "track"', 'starts with "and"'],
    ['type = "a" and or event = "b"', 'has "or" directly after "and"'],
    ['(and type = "a")', 'right after "("'],
    ['(type = "a" and) or event = "x"', 'right before ")"'],
    ['type in ["track"]', 'uses a list ([...])'],
    ['event == "x"', 'uses "==": FQL compares with "="'],
    ["type = 'track'", 'uses single quotes'],
    ['messageId = "x"', 'uses "messageId", which triggers cannot test'],
    ['messageId = "x" and type = "track"', 'uses "messageId"'],
    ['event.name = "x"', 'uses "event.name"'],
    ['properties = "x"', '"properties" without a path'],
    ['(type = "track"', 'a "(" is never closed'],
    ['type = "track")', 'a ")" has no matching "("'],
    ['((type = "track"))', 'nests parentheses'],
    ['()', 'empty parentheses'],
    ['type = "tr', 'could not be parsed at character 12: unterminated string'],
    ['type ~ "x"', 'invalid character "~"'],
    ['type = "a" && event = "b"', 'invalid character "&"'],
    ['properties.x>3', 'put spaces around operators'],
    ['properties.x!=3', 'put spaces around operators'],
    ['type = "a"\r\nand event = "b"', 'carriage return'],
    ['userId = "u1" or type = "identify" and event = "nope"', 'mixes and/or without parentheses: group them, e.g. (a and b) or c'],
    ['(type = "a" or type = "b") and event = "c" or userId = "u"', 'mixes and/or without parentheses'],
    ['type = "a" OR event = "b"', 'writes "or" in upper case'],
    ['type = "a" event = "b"', 'is missing "and" or "or" before "event"'],
    ['event = "say \\"hi\\""', 'strings cannot contain a double quote'],
    ['properties.x > "3"', 'use a number without quotes, e.g. properties.x > 3'],
    ['event > 3', 'only works on numbers in properties.*'],
    ['event = 3', 'put the value in double quotes, e.g. event = "3"'],
    ['userId = 42', 'put the value in double quotes'],
    ['event != null', 'write event exists to require it'],
    ['type = null', 'write type exists to require it'],
    ['type ~= "x"', 'invalid character "~"'],
    ['type like "x"', 'uses "like", which FQL does not support'],
    ['type', 'has no comparison after "type"'],
    ['type "track"', 'is missing an operator between "type" and "track"'],
    ['match(event, "Order")', 'a pattern takes one "*" at its start or end'],
    ['match(event, "*Ord*")', 'a pattern takes one "*"'],
    ['contains(type, "x")', 'uses contains() on "type"'],
    ['contains(messageId, "x")', 'uses contains() on "messageId"'],
    ['contains(event "x")', 'separate the arguments of contains() with a comma'],
    ['contains(event, 3)', 'double-quoted text as its second argument'],
    ['contains event', 'must call contains with parentheses'],
    ['!(type = "track")', 'use != to negate a comparison'],
    ['"track"', 'where a condition should start'],
    ['traits.email exists or type = "x"', 'write traits.email != null instead'],
  ])('%j', (text, reason) => {
    const result = checkTrigger(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain(reason);
      expect(result.reason.startsWith('"trigger" ')).toBe(true);
    }
  });

  it('names the field it was given', () => {
    expect(checkTrigger('type == "x"', 'input.trigger')).toEqual({
      ok: false,
      reason: '"input.trigger" uses "==": FQL compares with "=", e.g. event = "Order Completed"',
    });
  });
});

describe('matchesTrigger', () => {
  const track = {
    type: 'track',
    event: 'Order Completed',
    userId: 'u1',
    properties: { total: 25, price: '9.5', vip: true, zero: 0, none: null, tags: ['Order'], a: { b: 'x' } },
    traits: { email: 'a@example.org' },
    context: { page: { path: '/' } },
  };

  it.each([
    ['type = "track"', true],
    ['type = "Track"', false],
    ['event = "order completed"', false],
    ['type = "track" and event = "Order Completed"', true],
    ['type = "page" or event = "Order Completed"', true],
    ['(type = "track" or type = "page") and properties.total > 3', true],
    ['properties.total = 25', true],
    ['properties.total = "25"', false],
    ['properties.price > 9', false],
    ['properties.price = "9.5"', true],
    ['properties.vip = true', true],
    ['properties.a.b = "x"', true],
    ['properties.a.b = "X"', false],
    ['contains(event, "Order")', true],
    ['contains(event, "order")', false],
    ['!contains(event, "Refund")', true],
    ['contains(properties.tags, "Order")', false],
    ['match(event, "Order*")', true],
    ['match(event, "*Completed")', true],
    ['match(event, "Completed*")', false],
    ['properties.missing != "x"', true],
    ['properties.missing exists', false],
    ['properties.none != null', false],
    ['properties.none = null', true],
    ['properties.zero exists', true],
    ['traits.email exists', true],
    ['userId != null', true],
    ['name = null', true],
    ['context.page.path = "/"', true],
  ])('%s → %s', (text, expected) => {
    expect(matchesTrigger(parsed(text), track)).toBe(expected);
  });

  it('does not match an identify against a track trigger', () => {
    expect(matchesTrigger(parsed('type = "track"'), { type: 'identify', userId: 'u1' })).toBe(false);
  });
});

describe('TriggerCache', () => {
  it('parses a trigger once and reuses the tree', () => {
    const cache = new TriggerCache();
    const first = cache.get('type = "track"');
    expect(first).not.toBeNull();
    expect(cache.get('type = "track"')).toBe(first);
    expect(cache.size).toBe(1);
    expect(cache.matches('type = "track"', { type: 'track' })).toBe(true);
    expect(cache.matches('type = "track"', { type: 'page' })).toBe(false);
  });

  it('maps unparseable text to null and never matches it', () => {
    const cache = new TriggerCache();
    expect(cache.get('messageId = "x"')).toBeNull();
    expect(cache.matches('messageId = "x"', { messageId: 'x' })).toBe(false);
  });

  it('stays bounded and evicts the least recently used entry', () => {
    const cache = new TriggerCache(3);
    const a = cache.get('event = "a"');
    cache.get('event = "b"');
    cache.get('event = "c"');
    expect(cache.get('event = "a"')).toBe(a); // a is now the most recent
    cache.get('event = "d"'); // evicts b
    expect(cache.size).toBe(3);
    expect(cache.get('event = "a"')).toBe(a);
    const b = cache.get('event = "b"');
    expect(b).not.toBeNull();
    expect(cache.size).toBe(3);
  });
});
