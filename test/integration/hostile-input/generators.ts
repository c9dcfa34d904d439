import { createHash } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { Rng } from './prng.ts';

export type Caller = 'anonymous' | 'channel-app' | 'partner' | 'internal';

/** One hostile request: what to send, as whom, and what must hold besides the invariants. */
export type HostileCase = {
  /** Generator and variant, for the summary and for grouping failures. */
  group: string;
  caller: Caller;
  method: string;
  /** Query string with its `?`, or ''. */
  search: string;
  /** Content-Type to send; null: none. */
  contentType: string | null;
  headers: Record<string, string>;
  body?: string;
  /** A mutation with invalid input: it must be refused (errors, no data). */
  mustRefuse?: boolean;
};

/** Existing records the mutation cases aim at (so only their invalid input refuses them). */
export type Targets = { promotions: { id: string; version: number }[] };

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
/** Characters the subgraphs refuse in strings (subgraphs/shared/control-characters.ts). */
const CONTROL = ['\u0000', '\u0001', '\u0008', '\u000b', '\u001f', '\u007f', '\u0085', '\u009b'];
const BIDI = ['\u202e', '\u202a', '\u2066', '\u200f', '\u061c'];
const ODD_STRINGS = [
  '',
  ' ',
  'constructor',
  '__proto__',
  '😀 emoji',
  'Ünïcödé',
  '\ud800',
  '{"a":1}',
  "'; DROP TABLE promotions; --",
  '../../etc/passwd',
  '${jndi:ldap://x}',
  '<script>alert(1)</script>',
  'NaN',
  '-0',
  '1e309',
  '9'.repeat(40),
  'x'.repeat(5000),
];
const WRONG_VALUES: unknown[] = [
  null,
  0,
  -1,
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  -1e308,
  1.5,
  true,
  'str',
  [],
  {},
  [[1]],
  { a: { b: {} } },
  { __proto__: { polluted: true } },
];

const VALID_SCALARS: Record<string, unknown[]> = {
  DateTime: ['2026-11-27T08:00:00Z', '2026-12-01T08:00:00.5+01:00'],
  Decimal: ['19.99', '10', '0'],
  CurrencyCode: ['EUR', 'USD'],
  TimeZone: ['Europe/Berlin', 'UTC'],
  LocalDate: ['2026-02-28', '2026-11-27'],
  Int: [0, 1, 20, -3],
  Float: [1.5, 0],
  Boolean: [true, false],
  String: ['SKU000001', 'text', 'S001'],
  ID: ['S001', 'V100001', 'SKU000002', 'nope-id'],
};
/** Values each canonical scalar refuses (contracts/canonical/scalars.ts). */
export const INVALID_SCALARS: Record<string, unknown[]> = {
  DateTime: [
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    'yesterday',
    '2026-11-27',
    '2026-11-27T25:00:00Z',
    '2026-11-27T08:00:00',
    '',
    0,
    1.5,
    true,
    [],
    {},
  ],
  Decimal: ['1e5', 'NaN', '-', '01', '1.1234567', '9'.repeat(16), 19.99, '', ' 1', 'Infinity'],
  CurrencyCode: ['eur', 'EURO', 'E', '€UR', 123, ''],
  TimeZone: ['Mars/Olympus', 'Europe', 'utc', '+01:00', '', 'Europe/Berlin\u0000'],
  LocalDate: ['2026-02-29', '26-01-01', '2026-1-1', '2026-01-01T00:00:00Z', 20260101],
  Int: [2 ** 31, -(2 ** 31) - 1, 1.5, '1', true, [], 1e308],
  Float: ['1.5', true, {}],
  Boolean: ['true', 1, 'yes'],
  String: [5, true, {}, ['a']],
  ID: [1.5, true, {}, []],
};

/** A value tree: JSON, with enum values marked (literal `X` vs string `"X"`). */
type Value =
  { enum: string } | null | string | number | boolean | Value[] | { [key: string]: Value };

const isEnumValue = (v: unknown): v is { enum: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).join() === 'enum';

export function toJson(value: Value): unknown {
  if (isEnumValue(value)) return value.enum;
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, {
        value: toJson(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** GraphQL literal text of a value (numbers that are not finite become enum-like names). */
export function toLiteral(value: Value): string {
  if (value === null) return 'null';
  if (isEnumValue(value)) return NAME.test(value.enum) ? value.enum : JSON.stringify(value.enum);
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value)
      .filter(([k]) => NAME.test(k))
      .map(([k, v]) => `${k}: ${toLiteral(v)}`);
    return `{ ${fields.join(', ')} }`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function randomString(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.5) return rng.pick(VALID_SCALARS.String as string[]);
  if (roll < 0.7) return rng.pick(ODD_STRINGS);
  if (roll < 0.85) return `a${rng.pick(CONTROL)}b`;
  if (roll < 0.92) return `x${rng.pick(BIDI)}y`;
  return rng.chars('abcXYZ019 _-/.:%"\\\n\t', rng.int(0, 30));
}

/**
 * A random value of `type`; each node is of the wrong kind with probability `wrong` (a value of
 * another type, null for a non-null, an unknown enum value, an invalid custom scalar...).
 */
export function randomValue(
  type: GraphQLInputType,
  rng: Rng,
  wrong: number,
  depth = 0,
): Value | undefined {
  if (rng.chance(wrong)) {
    const named = getNamedType(type);
    const invalid = INVALID_SCALARS[named.name];
    if (invalid && rng.chance(0.7)) return rng.pick(invalid) as Value;
    if (isEnumType(named) && rng.chance(0.5)) {
      return { enum: rng.pick(['NOPE', named.getValues()[0]!.name.toLowerCase(), 'constructor']) };
    }
    return rng.pick(WRONG_VALUES) as Value;
  }
  if (isNonNullType(type)) return randomValue(type.ofType, rng, wrong, depth);
  if (isListType(type)) {
    if (rng.chance(0.1)) return randomValue(type.ofType, rng, wrong, depth + 1);
    const items: Value[] = [];
    for (let i = rng.int(0, 3); i > 0; i--) {
      const item = randomValue(type.ofType, rng, wrong, depth + 1);
      if (item !== undefined) items.push(item);
    }
    return items;
  }
  if (isInputObjectType(type)) {
    if (depth > 6) return null;
    const out: { [key: string]: Value } = {};
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (!required && !rng.chance(0.3)) continue;
      const value = randomValue(field.type, rng, wrong, depth + 1);
      if (value !== undefined) out[field.name] = value;
    }
    if (rng.chance(wrong)) out[rng.pick([...PROTOTYPE_NAMES, 'unknownField'])] = 'x';
    return out;
  }
  if (isEnumType(type)) return { enum: rng.pick(type.getValues()).name };
  if (isScalarType(type)) {
    if (type.name === 'String' || type.name === 'ID') {
      return rng.chance(0.6) ? rng.pick(VALID_SCALARS[type.name] as string[]) : randomString(rng);
    }
    return rng.pick((VALID_SCALARS[type.name] ?? ['x']) as Value[]);
  }
  return null;
}

/** Type reference text (`[String!]!`) of an input type. */
const typeRef = (type: GraphQLInputType): string => String(type);

type DocState = {
  rng: Rng;
  schema: GraphQLSchema;
  fragments: string[];
  fragmentCount: number;
  varDefs: string[];
  variables: Record<string, unknown>;
  varCount: number;
  maxDepth: number;
  wrong: number;
};

function argumentsOf(field: GraphQLField<unknown, unknown>, s: DocState): string {
  const parts: string[] = [];
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (required ? s.rng.chance(0.03) : !s.rng.chance(0.35)) continue;
    if (s.rng.chance(0.3)) {
      // A variable: declared with the right (or another) type, valued or not.
      const name = `v${s.varCount++}`;
      if (!s.rng.chance(0.04)) {
        const declared = s.rng.chance(0.08)
          ? s.rng.pick(['String', 'Int!', '[ID]', 'DateTime'])
          : typeRef(arg.type);
        s.varDefs.push(`$${name}: ${declared}`);
      }
      if (!s.rng.chance(0.1)) {
        const value = randomValue(arg.type, s.rng, s.wrong);
        if (value !== undefined) s.variables[name] = toJson(value);
      }
      parts.push(`${arg.name}: $${name}`);
    } else {
      const value = randomValue(arg.type, s.rng, s.wrong);
      if (value !== undefined) parts.push(`${arg.name}: ${toLiteral(value)}`);
    }
  }
  if (s.rng.chance(0.02)) parts.push(`${s.rng.pick(['nope', 'first', 'id'])}: 1`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

function directives(s: DocState): string {
  if (!s.rng.chance(0.06)) return '';
  const rng = s.rng;
  const condition = rng.pick(['true', 'false', '"yes"', '1', 'null', '$cond']);
  if (condition === '$cond' && !s.varDefs.some((d) => d.startsWith('$cond'))) {
    s.varDefs.push('$cond: Boolean = true');
  }
  return ` ${rng.pick([`@include(if: ${condition})`, `@skip(if: ${condition})`, '@deprecated', '@nope', '@include'])}`;
}

function selectionOf(type: GraphQLNamedType, s: DocState, depth: number): string {
  const rng = s.rng;
  if (isUnionType(type)) {
    const member = rng.pick(type.getTypes());
    return `{ __typename ... on ${member.name} ${selectionOf(member, s, depth)} }`;
  }
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const fields = Object.values(type.getFields());
  const picked: string[] = [];
  for (let i = rng.int(1, 3); i > 0; i--) {
    const roll = rng.next();
    if (roll < 0.03) {
      picked.push(rng.pick(['nope', `${fields[0]!.name}z`, '__typename { x }']));
      continue;
    }
    if (roll < 0.06) {
      picked.push(`${rng.pick(PROTOTYPE_NAMES)}: __typename`);
      continue;
    }
    const field = rng.pick(fields);
    const named = getNamedType(field.type);
    const alias = rng.chance(0.08) ? `${rng.pick([...PROTOTYPE_NAMES, 'a', 'b'])}: ` : '';
    let sub = '';
    if (!isLeafType(named)) {
      if (depth >= s.maxDepth) {
        sub = '{ __typename }';
      } else if (rng.chance(0.12)) {
        // A named fragment (spread once or twice), whose body may spread further fragments.
        const name = `F${s.fragmentCount++}`;
        const body = selectionOf(named, s, depth + 1);
        s.fragments.push(`fragment ${name} on ${named.name} ${body}`);
        sub = `{ ...${name}${rng.chance(0.3) ? ` ...${name}` : ''} }`;
      } else {
        sub = selectionOf(named, s, depth + 1);
      }
    } else if (rng.chance(0.02)) {
      sub = '{ x }';
    }
    picked.push(`${alias}${field.name}${argumentsOf(field, s)}${directives(s)} ${sub}`.trim());
  }
  if (rng.chance(0.05)) picked.push('__typename');
  return `{ ${picked.join(' ')} }`;
}

/** A random document from the API schema (queries, and subscriptions sent as plain POST). */
export function randomDocument(
  schema: GraphQLSchema,
  rng: Rng,
): { query: string; variables: Record<string, unknown>; operationName?: unknown; kind: string } {
  const s: DocState = {
    rng,
    schema,
    fragments: [],
    fragmentCount: 0,
    varDefs: [],
    variables: {},
    varCount: 0,
    maxDepth: rng.chance(0.05) ? rng.int(10, 25) : rng.int(1, 5),
    wrong: rng.pick([0, 0.05, 0.15, 0.4]),
  };
  const roll = rng.next();
  if (roll < 0.03) {
    return {
      kind: 'introspection',
      query: rng.pick([
        '{ __schema { queryType { name } types { name } } }',
        '{ __type(name: "Promotion") { fields { name } } }',
        '{ promotions(first: 1) { edges { node { __type: __typename } } } __schema { mutationType { name } } }',
      ]),
      variables: {},
    };
  }
  const subscription = roll < 0.1;
  const root = subscription ? schema.getSubscriptionType()! : schema.getQueryType()!;
  const selection = selectionOf(root, s, 1);
  const keyword = subscription ? 'subscription' : 'query';
  const name = rng.chance(0.5) ? `Op${rng.int(0, 9)}` : '';
  const vars = s.varDefs.length ? `(${s.varDefs.join(', ')})` : '';
  const unused = rng.chance(0.03) ? (vars ? '' : '($unused: Int)') : '';
  let query = `${keyword} ${name}${vars}${unused} ${selection}`;
  if (!name && !vars && !unused && rng.chance(0.3)) query = selection; // shorthand
  if (s.fragments.length) query += `\n${s.fragments.join('\n')}`;
  let operationName: unknown;
  if (rng.chance(0.06)) {
    query += `\nquery Other { __typename }`;
    operationName = rng.pick(['', 'Missing', 'Other', name || undefined, null, 7]);
  }
  return {
    kind: subscription ? 'subscription' : 'query',
    query,
    variables: s.variables,
    operationName,
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations with invalid input: each must be refused.

export function validDraft(): Record<string, unknown> {
  return {
    name: 'Hostile week',
    offer: { kind: 'PERCENT_OFF', percentOff: '10' },
    scope: { skus: ['SKU000001', 'SKU000002'] },
    eligibility: { channels: ['ECOMMERCE'] },
    window: {
      // Far ahead, so the base stays valid (and the cases the same) for years.
      startsAt: '2036-11-27T08:00:00Z',
      endsAt: '2036-12-04T08:00:00Z',
      timeZone: 'Europe/Berlin',
    },
    stacking: { mode: 'STACKABLE', priority: 10 },
  };
}

type Slot = { path: (string | number)[]; type: GraphQLInputType };

/** Every leaf (and input-object) position of `value` with its declared type. */
function slotsOf(value: unknown, type: GraphQLInputType, path: (string | number)[], out: Slot[]) {
  out.push({ path, type });
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner) && Array.isArray(value)) {
    value.forEach((item, i) => slotsOf(item, inner.ofType, [...path, i], out));
  } else if (isInputObjectType(inner) && value && typeof value === 'object') {
    const fields = inner.getFields();
    for (const [k, v] of Object.entries(value)) {
      if (Object.hasOwn(fields, k)) slotsOf(v, fields[k]!.type, [...path, k], out);
    }
  }
}

/** A value `type` certainly refuses at the type or input-validation level. */
function certainlyInvalid(type: GraphQLInputType, rng: Rng): { value: unknown; why: string } {
  const named = getNamedType(type);
  if (isNonNullType(type) && rng.chance(0.15)) return { value: null, why: 'null-for-non-null' };
  if (named.name === 'String' || named.name === 'ID') {
    if (rng.chance(0.75)) {
      const ch = rng.pick([...CONTROL, ...BIDI]);
      const code = ch.codePointAt(0)!.toString(16).padStart(4, '0');
      return { value: `bad${ch}value`, why: `control-U+${code}` };
    }
    return { value: rng.pick([{}, [{}], true, 1.5]), why: `wrong-type-${named.name}` };
  }
  if (isEnumType(named))
    return { value: rng.pick(['NOPE', 'percent_off', 1, '']), why: 'wrong-enum' };
  if (isInputObjectType(named)) {
    return { value: rng.pick(['x', 5, [[1]]]), why: 'wrong-type-object' };
  }
  const invalid = INVALID_SCALARS[named.name];
  if (invalid) return { value: rng.pick(invalid), why: `invalid-${named.name}` };
  return { value: { a: 1 }, why: 'wrong-type' };
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) delete node[last];
  else
    Object.defineProperty(node, last, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

const MUTATION_FIELDS = [
  'createPromotionDraft',
  'createPromotionDraft',
  'createPromotionDraft',
  'updatePromotionDraft',
  'updatePromotionDraft',
  'submitPromotion',
  'withdrawPromotion',
  'approvePromotion',
  'rejectPromotion',
  'publishToChannels',
  'suspendPromotion',
  'resumePromotion',
  'endPromotion',
  'cancelPromotion',
  'retryChannelDelivery',
];

/**
 * A mutation of the API whose arguments are valid except for one certainly invalid value (a
 * control character, an invalid custom scalar, a wrong enum, a huge number, a missing required
 * field, a value of another type), sent as variables or as literals.
 */
export function invalidMutation(
  schema: GraphQLSchema,
  rng: Rng,
  targets: Targets,
): { query: string; variables: Record<string, unknown>; why: string; field: string } {
  const fieldName = rng.pick(MUTATION_FIELDS);
  const field = schema.getMutationType()!.getFields()[fieldName]!;
  const target = targets.promotions.length ? rng.pick(targets.promotions) : undefined;
  const args: Record<string, unknown> = {};
  for (const arg of field.args) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (!required && !rng.chance(0.4)) continue;
    const name = arg.name;
    if (name === 'input' && fieldName === 'createPromotionDraft') args.input = validDraft();
    else if (name === 'input') args.input = { name: 'Renamed' };
    else if ((name === 'id' || name === 'promotionId') && target) args[name] = target.id;
    else if (name === 'expectedVersion' && target) args[name] = target.version;
    else {
      const value = randomValue(arg.type, rng, 0);
      if (value !== undefined) args[name] = toJson(value);
    }
  }
  // The one invalid value.
  const slots: Slot[] = [];
  for (const arg of field.args) {
    if (Object.hasOwn(args, arg.name)) slotsOf(args[arg.name], arg.type, [arg.name], slots);
  }
  let why: string;
  if (rng.chance(0.1) && fieldName === 'createPromotionDraft') {
    const input = args.input as Record<string, unknown>;
    const dropped = rng.pick(['name', 'offer', 'scope', 'eligibility', 'window', 'stacking']);
    delete input[dropped];
    why = 'missing-required';
  } else if (rng.chance(0.05)) {
    const slot = rng.pick(slots);
    setAt(args, slot.path.length ? slot.path : ['x'], 2 ** 31 + rng.int(0, 1000));
    why = getNamedType(slot.type).name === 'Int' ? 'huge-int' : 'huge-number-for-other-type';
    if (getNamedType(slot.type).name === 'Float') why = 'huge-float-ok';
  } else {
    const slot = rng.pick(slots);
    const bad = certainlyInvalid(slot.type, rng);
    setAt(args, slot.path, bad.value);
    why = bad.why;
  }
  const literal = rng.chance(0.3);
  const selection = rng.pick(['{ promotion { id version state } }', '{ eventCursor }']);
  if (literal) {
    const text = field.args
      .filter((a) => Object.hasOwn(args, a.name))
      .map((a) => `${a.name}: ${toLiteral(fromJson(args[a.name], a.type))}`)
      .join(', ');
    return {
      query: `mutation { ${fieldName}${text ? `(${text})` : ''} ${selection} }`,
      variables: {},
      why: `literal:${why}`,
      field: fieldName,
    };
  }
  const defs = field.args.map((a) => `$${a.name}: ${typeRef(a.type)}`);
  const uses = field.args.map((a) => `${a.name}: $${a.name}`);
  return {
    query: `mutation M(${defs.join(', ')}) { ${fieldName}(${uses.join(', ')}) ${selection} }`,
    variables: args,
    why: `variables:${why}`,
    field: fieldName,
  };
}

/** A JSON value back to a value tree, enum positions marked by the declared type. */
function fromJson(value: unknown, type: GraphQLInputType): Value {
  if (value === null || value === undefined) return null;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    return Array.isArray(value)
      ? value.map((v) => fromJson(v, inner.ofType))
      : fromJson(value, inner.ofType);
  }
  if (isEnumType(inner) && typeof value === 'string' && NAME.test(value)) return { enum: value };
  if (isInputObjectType(inner) && typeof value === 'object' && !Array.isArray(value)) {
    const fields = inner.getFields();
    const out: { [key: string]: Value } = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = Object.hasOwn(fields, k) ? fromJson(v, fields[k]!.type) : (v as Value);
    }
    return out;
  }
  return value as Value;
}

// ---------------------------------------------------------------------------------------------
// Request bodies and transports.

const SMALL_QUERIES = [
  '{ __typename }',
  '{ promotions(first: 1) { edges { cursor } } }',
  'query A { __typename } query B { __typename }',
  '{ __typename } { __typename }',
  'subscription { promotionStateChanged { cursor } }',
  'mutation { cancelPromotion(promotionId: "nope", reason: "x\\u0000") { eventCursor } }',
  'query Q($n: Int) { promotions(first: $n) { edges { cursor } } }',
];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function variant(rng: Rng, values: unknown[]): unknown {
  return rng.pick(values);
}

/** A JSON (or not) body of the wrong shape, and GET / method / content-type variants. */
export function hostileRequest(rng: Rng): Omit<HostileCase, 'caller'> {
  const base = {
    method: 'POST',
    search: '',
    contentType: 'application/json' as string | null,
    headers: {} as Record<string, string>,
  };
  const query = rng.pick(SMALL_QUERIES);
  const roll = rng.int(0, 11);
  switch (roll) {
    case 0: {
      const valid = JSON.stringify({ query, variables: { n: 1 } });
      const broken = rng.pick([
        valid.slice(0, rng.int(0, valid.length - 1)),
        `${valid}}`,
        `\ufeff${valid}`,
        valid.replace(/"/g, "'"),
        `{"query": "${query}" "x": 1}`,
        '{"query": NaN}',
        '[1, 2',
        '\u0000\u0001',
        rng.chars('{}[]":,abc0-\\', rng.int(1, 60)),
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        `{"a":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
      ]);
      return { ...base, group: 'body:broken-json', body: broken };
    }
    case 1:
    case 2: {
      const body: Record<string, unknown> = { query };
      const key = rng.pick(['query', 'variables', 'operationName', 'extensions']);
      body[key] = variant(rng, [
        5,
        -1.5,
        true,
        null,
        [],
        ['{ __typename }'],
        {},
        { query: '{ __typename }' },
        '',
        'x'.repeat(rng.pick([10, 100_000])),
        { __proto__: { admin: true } },
        JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": 1}}'),
      ]);
      return { ...base, group: `body:wrong-type-${key}`, body: JSON.stringify(body) };
    }
    case 3: {
      const operationName = variant(rng, ['', 'Unknown', 'B', 'A', ' ', 'constructor']);
      const q = rng.pick([
        'query A { __typename } query B { __typename }',
        '{ __typename }',
        query,
      ]);
      return {
        ...base,
        group: 'body:operationName',
        body: JSON.stringify({ query: q, operationName }),
      };
    }
    case 4: {
      const hash = sha256(query);
      const persistedQuery = variant(rng, [
        { version: 2, sha256Hash: hash },
        { version: 0, sha256Hash: hash },
        { version: '1', sha256Hash: hash },
        { sha256Hash: hash },
        { version: 1, sha256Hash: 5 },
        { version: 1, sha256Hash: [hash] },
        { version: 1, sha256Hash: null },
        { version: 1 },
        { version: 1, sha256Hash: 'a'.repeat(64) },
        { version: 1, sha256Hash: 'not-a-hash' },
        { version: 1, sha256Hash: hash.toUpperCase() },
        { version: 1, sha256Hash: hash },
        'persisted',
        [],
        true,
      ]);
      const withQuery = rng.chance(0.6);
      return {
        ...base,
        group: `body:apq-${withQuery ? 'with' : 'without'}-query`,
        body: JSON.stringify({
          ...(withQuery ? { query } : {}),
          extensions: { persistedQuery },
        }),
      };
    }
    case 5: {
      const documentId = variant(rng, [
        5,
        '',
        'sha256:zz',
        `sha256:${'a'.repeat(64)}`,
        'a'.repeat(64),
        ['x'],
        null,
        { id: 1 },
        `sha256:${sha256(query)}`,
      ]);
      return {
        ...base,
        group: 'body:documentId',
        body: JSON.stringify({ documentId, ...(rng.chance(0.3) ? { query } : {}) }),
      };
    }
    case 6: {
      const op = { query };
      const body = variant(rng, [[], [op], [op, op], [1, 2], [null], [[op]]]);
      return { ...base, group: 'body:batch', body: JSON.stringify(body) };
    }
    case 7: {
      const params = new URLSearchParams();
      if (rng.chance(0.9)) params.set('query', rng.chance(0.2) ? 'x'.repeat(3000) : query);
      if (rng.chance(0.3)) params.set('variables', rng.pick(['{"n":1}', '[1]', 'null', '{', '5']));
      if (rng.chance(0.3)) params.set('operationName', rng.pick(['', 'A', 'Nope']));
      if (rng.chance(0.3)) {
        params.set(
          'extensions',
          rng.pick([
            JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(query) } }),
            JSON.stringify({ persistedQuery: { version: 3, sha256Hash: 5 } }),
            '{"persistedQuery":"x"}',
            'not json',
            '[]',
          ]),
        );
      }
      if (rng.chance(0.2)) params.set('documentId', rng.pick(['5', `sha256:${'b'.repeat(64)}`]));
      const preflight: Record<string, string> = rng.chance(0.8)
        ? { 'apollo-require-preflight': 'true' }
        : {};
      return {
        ...base,
        method: 'GET',
        search: `?${params.toString()}`,
        contentType: null,
        headers: preflight,
        group: 'get:params',
      };
    }
    case 8: {
      const contentType = rng.pick([
        null,
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/graphql',
        'application/json; charset=latin1',
        'application/graphql-response+json',
        'application/json, text/plain',
        '',
      ]);
      return {
        ...base,
        contentType,
        group: 'body:content-type',
        body: rng.chance(0.5) ? JSON.stringify({ query }) : query,
      };
    }
    case 9: {
      const method = rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS']);
      return { ...base, method, group: 'method', body: JSON.stringify({ query }) };
    }
    case 10: {
      const accept = rng.pick([
        'application/graphql-response+json',
        'application/xml',
        'multipart/mixed',
        '*/*;q=0',
        'text/html',
      ]);
      return {
        ...base,
        headers: { accept },
        group: 'body:accept',
        body: JSON.stringify({ query }),
      };
    }
    default: {
      const body = variant(rng, [null, 5, '"x"', {}, { extra: 1 }, { query, extra: { a: 1 } }]);
      return { ...base, group: 'body:shape', body: JSON.stringify(body) };
    }
  }
}

/** Picks a caller, weighted towards those with the most surface (internal, channel apps). */
export function randomCaller(rng: Rng): Caller {
  const roll = rng.next();
  if (roll < 0.4) return 'internal';
  if (roll < 0.65) return 'channel-app';
  if (roll < 0.85) return 'anonymous';
  return 'partner';
}

/**
 * The fragment bomb: each fragment spreads the next twice (2^levels paths for a naive walk),
 * the last selects `id`; `beside` is selected next to the first spread.
 */
export function fragmentBomb(levels: number, beside: string): string {
  const fragments: string[] = [];
  for (let i = 0; i < levels; i++) {
    fragments.push(
      i === levels - 1
        ? `fragment F${i} on Promotion { id }`
        : `fragment F${i} on Promotion { ...F${i + 1} ...F${i + 1} }`,
    );
  }
  return `query Bomb { promotions(first: 1) { edges { node { ${beside} ...F0 } } } }\n${fragments.join('\n')}`;
}
