import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  parse,
  validate,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { createKeyStore } from '../../../../gateway/auth/jwks-key-store.ts';
import { createAuthenticator } from '../../../../gateway/plugins/authenticate.ts';
import { loadAuthPolicy } from '../../../../policies/auth-policy.ts';
import { loadAuthorizationPolicy } from '../../../../policies/authorization-policy.ts';
import { createGatewayServer, type RunningGateway } from '../../../../gateway/server.ts';
import { stripSecurityFeatures } from '../../../../gateway/security/supergraph-security.ts';
import { TEST_PRINCIPAL_SECRET } from '../../../helpers/principal.ts';
import { startTestStack, type TestStack } from '../../../helpers/stack.ts';

/**
 * Differential test of the two executors on the real supergraph and the whole stack: generated
 * queries (seeded, so every run sends the same ones) with fragments (named and inline), aliases
 * (prototype names among them), @skip/@include with literals and variables and entities across
 * subgraphs go to a gateway with the fast executor and one with @apollo/gateway's. The answers
 * must be byte-identical (so key order too), except where the fast executor is knowingly more
 * correct: the order of fields merged from fragments, where the spec's CollectFields order
 * (computed from the document below, the oracle) decides; Apollo's answer must then still be
 * equal up to key order. The fast executor's answer must always follow the oracle.
 */
const SEED = 20_240_611;
const OPERATIONS = 300;
const CONCURRENCY = 12;

/** mulberry32 */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    chance: (p: number) => next() < p,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}
type Rng = ReturnType<typeof prng>;

const ALIASES = [
  'a',
  'b',
  'x1',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__proto__',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
];
const SKUS = ['SKU000001', 'SKU000002', 'SKU000003', 'SKU000007', 'SKU000299'];
const LOCATIONS = ['S001', 'S002', 'S003'];

type Generated = { query: string; variables: Record<string, unknown> };

/** Builds one random valid-looking query; graphql-js validation filters the rest out. */
function generate(schema: GraphQLSchema, rng: Rng, index: number): Generated {
  const fragments: string[] = [];
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  let fragmentCount = 0;

  const argValue = (arg: GraphQLArgument): string | undefined => {
    const type = getNullableType(arg.type) as GraphQLInputType;
    const named = getNamedType(type);
    if (isInputObjectType(named)) return undefined;
    const scalar = (): string | undefined => {
      if (isEnumType(named)) return rng.pick(named.getValues()).name;
      if (/sku/i.test(arg.name)) return JSON.stringify(rng.pick(SKUS));
      if (/location|store/i.test(arg.name)) return JSON.stringify(rng.pick(LOCATIONS));
      if (arg.name === 'first') return String(rng.int(1, 3));
      if (named.name === 'DateTime') return '"2030-01-01T00:00:00Z"';
      if (named.name === 'LocalDate') return '"2030-01-01"';
      if (named.name === 'Int') return String(rng.int(1, 3));
      if (named.name === 'Boolean') return String(rng.chance(0.5));
      if (named.name === 'ID' || named.name === 'String') {
        return JSON.stringify(rng.pick(['V001', 'nope', ...ALIASES.slice(3, 5)]));
      }
      return undefined;
    };
    if (isListType(type)) {
      const items: string[] = [];
      for (let i = rng.int(1, 2); i > 0; i--) {
        const item = scalar();
        if (item === undefined) return undefined;
        items.push(item);
      }
      return `[${items.join(', ')}]`;
    }
    return scalar();
  };

  const argsOf = (field: GraphQLField<unknown, unknown>): string | undefined => {
    const out: string[] = [];
    for (const arg of field.args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (!required && arg.name !== 'first' && !rng.chance(0.2)) continue;
      const value = argValue(arg);
      if (value === undefined) {
        if (required) return undefined;
        continue;
      }
      out.push(`${arg.name}: ${value}`);
    }
    return out.length > 0 ? `(${out.join(', ')})` : '';
  };

  const directive = (): string => {
    if (!rng.chance(0.04)) return '';
    const name = rng.pick(['skip', 'include']);
    if (rng.chance(0.5)) return ` @${name}(if: ${rng.chance(0.5)})`;
    const variable = `flag${declarations.length}`;
    declarations.push(`$${variable}: Boolean!`);
    variables[variable] = rng.chance(0.5);
    return ` @${name}(if: $${variable})`;
  };

  const selectionSet = (type: GraphQLCompositeType, depth: number, used: Set<string>): string => {
    const parts: string[] = [];
    if (isAbstractType(type)) parts.push('__typename');
    const possible = isAbstractType(type) ? schema.getPossibleTypes(type) : [type];
    const fields = isUnionType(type) ? [] : Object.values(type.getFields());
    for (let n = rng.int(1, 3); n > 0; n--) {
      const roll = rng.int(0, 9);
      if (roll === 0 && depth < 4) {
        // An inline fragment: on the same type, a possible type, or without condition.
        const on = rng.pick<GraphQLCompositeType | undefined>([undefined, type, ...possible]);
        const inner = selectionSet(on ?? type, depth + 1, used);
        parts.push(`...${on ? ` on ${on.name}` : ''}${directive()} { ${inner} }`);
        continue;
      }
      if (roll === 1 && depth < 4) {
        const on = rng.pick<GraphQLCompositeType>([type, ...possible]);
        const name = `F${index}_${fragmentCount++}`;
        fragments.push(`fragment ${name} on ${on.name} { ${selectionSet(on, depth + 1, used)} }`);
        parts.push(`...${name}${directive()}`);
        continue;
      }
      if (fields.length === 0) {
        parts.push('__typename');
        continue;
      }
      const field = rng.pick(fields);
      const args = argsOf(field);
      if (args === undefined) continue;
      // One response name, one field: an alias already used elsewhere is not reused.
      let alias = '';
      if (rng.chance(0.3)) {
        const candidate = rng.pick(ALIASES);
        if (!used.has(candidate)) alias = `${candidate}: `;
      }
      const responseName = alias ? alias.slice(0, -2) : field.name;
      if (used.has(responseName) && !(args === '' && !alias && rng.chance(0.5))) continue;
      used.add(responseName);
      const named = getNamedType(field.type);
      let sub = '';
      if (isCompositeType(named)) {
        if (depth >= 4) continue;
        sub = ` { ${selectionSet(named, depth + 1, new Set())} }`;
      }
      parts.push(`${alias}${field.name}${args}${directive()}${sub}`);
    }
    if (parts.length === 0 || parts.every((p) => p.includes('@'))) parts.push('__typename');
    return parts.join(' ');
  };

  const root = selectionSet(schema.getQueryType()!, 1, new Set());
  const header = declarations.length > 0 ? `query Q${index}(${declarations.join(', ')})` : '';
  return { query: [`${header} { ${root} }`, ...fragments].join('\n'), variables };
}

// ---- The oracle: the spec's CollectFields order, object by object -------------------------

function included(
  node: { directives?: readonly DirectiveNode[] | undefined },
  variables: Record<string, unknown>,
): boolean {
  for (const d of node.directives ?? []) {
    const value = d.arguments?.[0]?.value;
    const flag =
      value?.kind === Kind.VARIABLE
        ? variables[value.name.value]
        : value?.kind === Kind.BOOLEAN
          ? value.value
          : undefined;
    if (d.name.value === 'skip' && flag === true) return false;
    if (d.name.value === 'include' && flag !== true) return false;
  }
  return true;
}

function collect(
  schema: GraphQLSchema,
  type: GraphQLObjectType,
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  out: Map<string, FieldNode[]>,
  visited: Set<string>,
): void {
  const applies = (condition: string | undefined) => {
    if (!condition) return true;
    const named = schema.getType(condition) as GraphQLNamedType;
    return named === type || (isAbstractType(named) && schema.isSubType(named, type));
  };
  for (const selection of selectionSet.selections) {
    if (!included(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) {
      const key = selection.alias?.value ?? selection.name.value;
      const list = out.get(key);
      if (list) list.push(selection);
      else out.set(key, [selection]);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (applies(selection.typeCondition?.name.value)) {
        collect(schema, type, selection.selectionSet, fragments, variables, out, visited);
      }
    } else {
      const name = selection.name.value;
      if (visited.has(name)) continue;
      visited.add(name);
      const fragment = fragments[name]!;
      if (applies(fragment.typeCondition.name.value)) {
        collect(schema, type, fragment.selectionSet, fragments, variables, out, visited);
      }
    }
  }
}

/** The first path where `value`'s keys are not in CollectFields order, or undefined. */
function orderViolation(
  schema: GraphQLSchema,
  value: unknown,
  type: GraphQLNamedType,
  selectionSets: SelectionSetNode[],
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
  path: string,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = orderViolation(
        schema,
        value[i],
        type,
        selectionSets,
        fragments,
        variables,
        `${path}.${i}`,
      );
      if (found) return found;
    }
    return undefined;
  }
  const object = value as Record<string, unknown>;
  const typename = Object.hasOwn(object, '__typename') ? object.__typename : undefined;
  let objectType: GraphQLObjectType | undefined;
  if (isObjectType(type)) objectType = type;
  else if (typeof typename === 'string') {
    const named = schema.getType(typename);
    if (isObjectType(named)) objectType = named;
  }
  if (!objectType) return `${path}: no runtime type`;
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  for (const set of selectionSets) {
    collect(schema, objectType, set, fragments, variables, fields, visited);
  }
  const expected = [...fields.keys()];
  const actual = Object.keys(object);
  if (expected.join(',') !== actual.join(',')) {
    return `${path}: keys ${actual.join(',')}, CollectFields order ${expected.join(',')}`;
  }
  for (const [key, nodes] of fields) {
    const name = nodes[0]!.name.value;
    if (name === '__typename') continue;
    const field = objectType.getFields()[name];
    if (!field) return `${path}.${key}: unknown field`;
    const sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    if (sets.length === 0) continue;
    const found = orderViolation(
      schema,
      object[key],
      getNamedType(field.type),
      sets,
      fragments,
      variables,
      `${path}.${key}`,
    );
    if (found) return found;
  }
  return undefined;
}

function oracle(
  schema: GraphQLSchema,
  query: string,
  variables: Record<string, unknown>,
  data: unknown,
): string | undefined {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = Object.create(null);
  let operation: SelectionSetNode | undefined;
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    else if (d.kind === Kind.OPERATION_DEFINITION) operation = d.selectionSet;
  }
  return orderViolation(
    schema,
    data,
    schema.getQueryType()!,
    [operation!],
    fragments,
    variables,
    'data',
  );
}

describe('differential: fast executor vs @apollo/gateway on generated operations', () => {
  let stack: TestStack;
  let apollo: RunningGateway;
  let schema: GraphQLSchema;

  before(async () => {
    stack = await startTestStack();
    const authPolicy = loadAuthPolicy('policies/auth.yaml');
    const supergraphSdl = readFileSync('contracts/supergraph.graphql', 'utf8');
    schema = Supergraph.build(stripSecurityFeatures(supergraphSdl)).apiSchema().toGraphQLJSSchema();
    apollo = await createGatewayServer({
      supergraphSdl,
      subgraphUrls: Object.fromEntries(
        Object.entries(stack.subgraphs).map(([name, s]) => [name, s.url]),
      ),
      environment: 'production',
      principalSecret: TEST_PRINCIPAL_SECRET,
      authenticate: createAuthenticator({
        policy: authPolicy,
        keys: createKeyStore(authPolicy.keys),
      }),
      authorization: loadAuthorizationPolicy('policies/authorization.yaml', {
        knownTokenClasses: Object.keys(authPolicy.tokenClasses),
      }),
      executor: 'apollo',
    }).listen(0);
  });
  after(async () => {
    await apollo?.close();
    await stack?.close();
  });

  test('generated queries answer identically (or in the spec order where Apollo does not)', async () => {
    const started = Date.now();
    const rng = prng(SEED);
    const operations: Generated[] = [];
    let invalid = 0;
    for (let i = 0; operations.length < OPERATIONS && i < OPERATIONS * 3; i++) {
      const op = generate(schema, rng, i);
      if (validate(schema, parse(op.query)).length > 0) invalid += 1;
      else operations.push(op);
    }
    assert.equal(operations.length, OPERATIONS);
    const send = async (url: string, op: Generated) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${stack.internalToken}`,
        },
        body: JSON.stringify({ query: op.query, variables: op.variables }),
      });
      return { status: res.status, text: await res.text() };
    };
    const counts = {
      identical: 0,
      specOrder: 0,
      withData: 0,
      withErrors: 0,
      directives: 0,
      apolloOrder: 0,
    };
    const failures: string[] = [];
    const compare = async (op: Generated) => {
      const [ours, theirs] = await Promise.all([send(stack.gatewayUrl, op), send(apollo.url, op)]);
      const body = JSON.parse(ours.text) as { data?: unknown; errors?: unknown[] };
      if (body.data) counts.withData += 1;
      if (body.errors) counts.withErrors += 1;
      // @skip/@include: the fast executor hands the operation to Apollo's (both answers are
      // Apollo's, compared byte for byte); its order is counted, not asserted.
      const fallback = op.query.includes('@');
      if (fallback) counts.directives += 1;
      const where = `\n${op.query}\n${JSON.stringify(op.variables)}`;
      const violation = body.data ? oracle(schema, op.query, op.variables, body.data) : undefined;
      if (violation && fallback) counts.apolloOrder += 1;
      else if (violation)
        failures.push(`fast answer not in CollectFields order: ${violation}${where}`);
      if (ours.status === theirs.status && ours.text === theirs.text) {
        counts.identical += 1;
        return;
      }
      const apolloBody = JSON.parse(theirs.text) as { data?: unknown };
      try {
        assert.deepEqual(
          { status: ours.status, body },
          { status: theirs.status, body: apolloBody },
        );
      } catch (error) {
        failures.push(`different answers: ${(error as Error).message}${where}`);
        return;
      }
      if (!oracle(schema, op.query, op.variables, apolloBody.data)) {
        failures.push(`same order per the oracle yet different text${where}`);
        return;
      }
      counts.specOrder += 1;
    };
    for (let i = 0; i < operations.length; i += CONCURRENCY) {
      await Promise.all(operations.slice(i, i + CONCURRENCY).map(compare));
    }
    console.log(
      `differential: ${operations.length} operations compared in ${Date.now() - started} ms (${invalid} generated invalid, ` +
        `skipped): ${counts.identical} identical, ${counts.specOrder} in spec order where ` +
        `Apollo is not; ${counts.withData} with data, ${counts.withErrors} with errors, ` +
        `${counts.directives} with @skip/@include (run by Apollo's executor on both gateways, ` +
        `${counts.apolloOrder} of them not in CollectFields order)`,
    );
    assert.deepEqual(failures.slice(0, 3), []);
    assert.ok(counts.withData > OPERATIONS / 2, 'most operations answer data');
  });
});
