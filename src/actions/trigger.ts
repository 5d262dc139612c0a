// FQL triggers: the strict check run when a subscription is written, and the matcher the data plane runs.
// The library parser is lenient (it silently drops or misreads what it does not understand), so a trigger is
// accepted only when the library's own reading, printed back, says the same thing as the text (data-plane.md §11).
import subscriptions from '@segment/destination-subscriptions';
import type { GroupCondition } from '@segment/destination-subscriptions';
import fqlTs from '@segment/fql-ts';

const { parseFql, generateFql, validate } = subscriptions;

export type TriggerAst = GroupCondition;
export type TriggerCheck = { ok: true; ast: TriggerAst } | { ok: false; reason: string };

interface Tok {
  type: string;
  value: string;
  /** `AND`/`OR` written in upper case, which the lexer reads as identifiers. */
  upper?: boolean;
  /** The `null` of an `x exists` rewritten as `x != null`. */
  fromExists?: boolean;
}

const SIMPLE_FIELDS = new Set(['type', 'event', 'name', 'userId']);
const PATH_ROOTS = new Set(['properties', 'traits', 'context']);
const COMPARATORS = new Set(['=', '!=', '<', '<=', '>', '>=']);
const ORDERING = new Set(['<', '<=', '>', '>=']);
const FIELD_HINT = 'use type, event, name, userId, properties.<path>, traits.<path> or context.<path>';

class TriggerProblem extends Error {}

/** Lexes and applies the normalisations both sides of the round trip share; parens and commas are kept. */
function tokenize(text: string): { tokens: Tok[] } | { lexError: string } {
  const lexed = fqlTs.lex(text);
  if (lexed.error) {
    const at = lexed.error.cursor ? ` at character ${lexed.error.cursor.column}` : '';
    const message = lexed.error.message;
    const runOn = /^expected termination character after identifier, got (.)/.exec(message);
    const why = runOn
      ? `a name runs straight into "${runOn[1]}": put spaces around operators, e.g. properties.price > 3`
      : message.startsWith("expected '=' after '!'")
        ? 'a "!=" runs straight into its value: put spaces around operators, e.g. properties.price != 3'
        : message;
    return { lexError: `could not be parsed${at}: ${why}` };
  }
  const raw = lexed.tokens as Tok[];
  const out: Tok[] = [];
  for (let i = 0; i < raw.length; i++) {
    const tok = raw[i]!;
    const last = out[out.length - 1];
    const next = raw[i + 1];
    if (tok.type === 'eos') continue;
    if (tok.type === 'dot' && last?.type === 'ident' && next?.type === 'ident') {
      last.value = `${last.value}.${next.value}`; // field paths are one token, as in parseFql
      i++;
    } else if (tok.type === 'ident' && /^(and|or)$/i.test(tok.value)) {
      out.push({ type: 'conditional', value: tok.value.toLowerCase(), upper: tok.value !== tok.value.toLowerCase() });
    } else if (tok.type === 'ident' && tok.value === 'exists' && last?.type === 'ident') {
      out.push({ type: 'operator', value: '!=' }, { type: 'null', value: 'null', fromExists: true });
    } else if (tok.type === 'ident' && last?.type === 'operator' && last.value !== '!') {
      out.push({ type: 'string', value: `"${tok.value}"` });
    } else if (tok.type === 'number' && Number.isFinite(Number(tok.value))) {
      out.push({ type: 'number', value: String(Number(tok.value)) });
    } else {
      out.push({ type: tok.type, value: tok.value });
    }
  }
  return { tokens: out };
}

/** Token sequence compared across the round trip: grouping parens dropped, `,` read as `and`. */
function comparable(tokens: Tok[]): string[] {
  return tokens
    .filter((t) => t.type !== 'parenleft' && t.type !== 'parenright')
    .map((t) => (t.type === 'comma' ? 'conditional:and' : `${t.type}:${t.value}`));
}

const show = (t: Tok | undefined): string => (t === undefined ? 'the end' : t.type === 'string' ? t.value : `"${t.value}"`);
const isConj = (t: Tok | undefined): boolean => t?.type === 'conditional' || t?.type === 'comma';
const conjWord = (t: Tok): string => (t.type === 'comma' ? ',' : t.value);

/** Walks the grammar FQL triggers actually support, to name the first thing the library would misread. */
class Diagnoser {
  private pos = 0;
  constructor(private readonly tokens: Tok[]) {}

  run(): void {
    const upper = this.tokens.find((t) => t.type === 'conditional' && t.value === 'or' && t.upper);
    if (upper) throw new TriggerProblem(`writes "or" in upper case: FQL only reads a lower-case "or"`);
    for (let i = 0; i < this.tokens.length; i++) {
      const tok = this.tokens[i]!;
      if (tok.type === 'operator' && tok.value === '=' && this.tokens[i + 1]?.value === '=') {
        throw new TriggerProblem('uses "==": FQL compares with "=", e.g. event = "Order Completed"');
      }
      if (tok.type === 'string' && tok.value.startsWith("'")) {
        throw new TriggerProblem(`uses single quotes (${tok.value}): FQL strings take double quotes, e.g. type = "track"`);
      }
      if (tok.type === 'brackleft' || tok.type === 'brackright') {
        throw new TriggerProblem('uses a list ([...]), which FQL does not support: combine conditions with or, e.g. (type = "track" or type = "page")');
      }
    }
    this.group(0);
  }

  private peek(): Tok | undefined {
    return this.tokens[this.pos];
  }

  private next(): Tok | undefined {
    return this.tokens[this.pos++];
  }

  private group(depth: number): void {
    const operators = new Set<string>();
    this.term(depth);
    for (;;) {
      const tok = this.peek();
      if (tok === undefined) {
        if (depth > 0) throw new TriggerProblem('has unbalanced parentheses: a "(" is never closed');
        break;
      }
      if (tok.type === 'parenright') {
        if (depth === 0) throw new TriggerProblem('has unbalanced parentheses: a ")" has no matching "("');
        break;
      }
      if (!isConj(tok)) {
        if (tok.type === 'string' || tok.type === 'number') {
          throw new TriggerProblem(`has an unexpected value ${show(tok)} after a condition (FQL strings cannot contain a double quote)`);
        }
        throw new TriggerProblem(`is missing "and" or "or" before ${show(tok)}`);
      }
      this.next();
      const after = this.peek();
      if (after === undefined) throw new TriggerProblem(`ends with "${conjWord(tok)}": remove it or add a condition after it`);
      if (after.type === 'parenright') throw new TriggerProblem(`has "${conjWord(tok)}" right before ")": remove it or add a condition after it`);
      operators.add(tok.type === 'comma' ? 'and' : tok.value);
      if (operators.size > 1) {
        throw new TriggerProblem('mixes and/or without parentheses: group them, e.g. (a and b) or c');
      }
      this.term(depth);
    }
  }

  private term(depth: number): void {
    const atStart = this.pos === 0;
    const previous = this.tokens[this.pos - 1];
    const tok = this.next();
    if (tok === undefined) throw new TriggerProblem('ends where a condition is expected');
    if (isConj(tok)) {
      if (atStart) throw new TriggerProblem(`starts with "${conjWord(tok)}": remove it`);
      if (previous?.type === 'parenleft') throw new TriggerProblem(`has "${conjWord(tok)}" right after "(": start the group with a condition`);
      throw new TriggerProblem(`has "${conjWord(tok)}" directly after "${previous ? conjWord(previous) : ''}": keep only one`);
    }
    if (tok.type === 'parenleft') {
      if (depth > 0) throw new TriggerProblem('nests parentheses, which FQL does not support: keep one level, e.g. (a or b) and c');
      if (this.peek()?.type === 'parenright') throw new TriggerProblem('has empty parentheses "()": put a condition inside or remove them');
      this.group(depth + 1);
      this.next(); // the ")" that group() stopped at
      return;
    }
    if (tok.type === 'parenright') throw new TriggerProblem('has unbalanced parentheses: a ")" has no matching "("');
    if (tok.type === 'operator' && tok.value === '!') {
      const fn = this.next();
      if (fn?.type !== 'ident' || (fn.value !== 'contains' && fn.value !== 'match')) {
        throw new TriggerProblem('uses "!" before something other than contains() or match(): use != to negate a comparison');
      }
      return this.call(fn.value);
    }
    if (tok.type === 'ident' && (tok.value === 'contains' || tok.value === 'match')) return this.call(tok.value);
    if (tok.type === 'ident') return this.comparison(tok.value);
    throw new TriggerProblem(`has ${show(tok)} where a condition should start, e.g. event = "Order Completed"`);
  }

  private field(name: string, where: string): 'simple' | 'path' {
    const root = name.split('.')[0]!;
    if (SIMPLE_FIELDS.has(root) && root === name) return 'simple';
    if (PATH_ROOTS.has(root)) {
      if (root === name) throw new TriggerProblem(`${where} "${name}" without a path: name the key, e.g. ${name}.plan`);
      return 'path';
    }
    throw new TriggerProblem(`${where} "${name}", which triggers cannot test: ${FIELD_HINT}`);
  }

  private call(fn: string): void {
    const example = fn === 'match' ? 'match(event, "Order*")' : 'contains(event, "Order")';
    if (this.next()?.type !== 'parenleft') throw new TriggerProblem(`must call ${fn} with parentheses, e.g. ${example}`);
    const target = this.next();
    if (target?.type !== 'ident') throw new TriggerProblem(`must name a field first in ${fn}(), e.g. ${example}`);
    if (target.value === 'type') throw new TriggerProblem(`uses ${fn}() on "type", which it cannot test: compare with type = "track"`);
    this.field(target.value, `uses ${fn}() on`);
    if (this.next()?.type !== 'comma') throw new TriggerProblem(`must separate the arguments of ${fn}() with a comma, e.g. ${example}`);
    const value = this.next();
    if (value?.type !== 'string') throw new TriggerProblem(`must give ${fn}() a double-quoted text as its second argument, e.g. ${example}`);
    const pattern = value.value.slice(1, -1);
    const stars = pattern.split('*').length - 1;
    if (fn === 'match' && (stars !== 1 || (!pattern.startsWith('*') && !pattern.endsWith('*')))) {
      throw new TriggerProblem(`uses match() with "${pattern}": a pattern takes one "*" at its start or end, e.g. ${example}`);
    }
    if (this.next()?.type !== 'parenright') throw new TriggerProblem(`must close ${fn}() after its two arguments, e.g. ${example}`);
  }

  private comparison(name: string): void {
    const kind = this.field(name, 'uses');
    const op = this.next();
    if (op === undefined || isConj(op) || op.type === 'parenright') {
      throw new TriggerProblem(`has no comparison after "${name}": write e.g. ${name} = "value"`);
    }
    if (op.type !== 'operator' || !COMPARATORS.has(op.value)) {
      if (op.type === 'ident') throw new TriggerProblem(`uses "${op.value}", which FQL does not support: compare with =, !=, <, <=, >, >= or exists`);
      throw new TriggerProblem(`is missing an operator between "${name}" and ${show(op)}`);
    }
    const value = this.next();
    if (value === undefined || isConj(value) || value.type === 'parenright' || value.type === 'parenleft') {
      throw new TriggerProblem(`is missing a value after "${name} ${op.value}"`);
    }
    if (value.type !== 'string' && value.type !== 'number' && value.type !== 'null') {
      throw new TriggerProblem(`has ${show(value)} where a value should follow "${name} ${op.value}"`);
    }
    const simple = kind === 'simple';
    if (ORDERING.has(op.value) && (simple || value.type !== 'number')) {
      throw new TriggerProblem(
        simple
          ? `compares "${name}" with "${op.value}", which only works on numbers in properties.*, traits.* or context.*`
          : `compares "${name}" with "${op.value}" against ${show(value)}: use a number without quotes, e.g. ${name} ${op.value} 3`,
      );
    }
    if (simple && value.type === 'number') {
      throw new TriggerProblem(`compares "${name}" with a number: put the value in double quotes, e.g. ${name} = "${value.value}"`);
    }
    // parseFql reads `type`/`event` values as text, so only the `exists` spelling keeps its meaning there
    if ((name === 'type' || name === 'event') && value.type === 'null' && !value.fromExists) {
      throw new TriggerProblem(`compares "${name}" with null, which FQL reads as the text "null": write ${name} exists to require it`);
    }
  }
}

/** The check run when a subscription trigger is created or changed; `field` names it in the reason. */
export function checkTrigger(text: string, field = 'trigger'): TriggerCheck {
  const fail = (why: string): TriggerCheck => ({ ok: false, reason: `"${field}" ${why}` });
  if (text.trim() === '') return fail('is empty: write a condition, e.g. type = "track"');
  if (text.includes('\r')) return fail('contains a carriage return, which FQL cannot read: use plain newlines or spaces');
  const input = tokenize(text);
  if ('lexError' in input) return fail(input.lexError);
  try {
    new Diagnoser(input.tokens).run();
  } catch (err) {
    if (err instanceof TriggerProblem) return fail(err.message);
    throw err;
  }
  const ast = parseFql(text);
  if ('error' in ast) return fail('could not be parsed: check the fields, operators and parentheses');
  let generated: string;
  try {
    generated = generateFql(ast);
  } catch {
    return fail('could not be parsed: check the fields, operators and parentheses');
  }
  const output = tokenize(generated);
  const same = 'tokens' in output && comparable(output.tokens).join('\u0000') === comparable(input.tokens).join('\u0000');
  const existsThenOr = input.tokens.findIndex((t, i) => t.fromExists && input.tokens[i + 1]?.value === 'or');
  if (!same && existsThenOr > 0) {
    const name = input.tokens[existsThenOr - 2]?.value ?? 'the field';
    return fail(`uses "exists" right before "or", which FQL misreads: write ${name} != null instead`);
  }
  if (!same) return fail(`would be read as \`${generated}\`: rewrite it that way if that is what you mean`);
  return { ok: true, ast };
}

/** True when the event satisfies the trigger, with the library's semantics (the ones core applies). */
export function matchesTrigger(ast: TriggerAst, event: unknown): boolean {
  return validate(ast, event);
}

/**
 * Parsed triggers keyed by text, so each trigger is parsed once however many events it filters.
 * Uses the library's own reading (what core would do), not the write-time check; unparseable text maps to null.
 * Bounded; a hit moves the entry to the young end, and the oldest entry is evicted when full.
 */
export class TriggerCache {
  private readonly entries = new Map<string, TriggerAst | null>();

  constructor(private readonly maxEntries = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  get(text: string): TriggerAst | null {
    const cached = this.entries.get(text);
    if (cached !== undefined) {
      this.entries.delete(text);
      this.entries.set(text, cached);
      return cached;
    }
    const parsed = parseFql(text);
    const ast = 'error' in parsed ? null : parsed;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(text, ast);
    return ast;
  }

  /** False for unparseable triggers, like core's "Invalid subscription" outcome. */
  matches(text: string, event: unknown): boolean {
    const ast = this.get(text);
    return ast !== null && validate(ast, event);
  }
}
