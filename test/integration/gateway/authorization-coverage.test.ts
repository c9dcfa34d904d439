import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
// Transitive dependency of @apollo/gateway: the API schema of the committed supergraph.
import { Supergraph } from '@apollo/federation-internals';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import {
  readSecurityRequirements,
  type SecurityRequirement,
} from '../../../gateway/security/supergraph-security.ts';
import { startTestStack, type GraphQLErrorJson, type TestStack } from '../../helpers/stack.ts';
import { devToken } from '../../helpers/tokens.ts';

/**
 * Generated from contracts/supergraph.graphql, not a hand list: for EVERY @requiresScopes
 * coordinate, a minimal operation selecting it is sent with a token lacking its scopes
 * (→ FORBIDDEN) and with each one of its AND-lists (→ not FORBIDDEN).
 */
const sdl = readFileSync('contracts/supergraph.graphql', 'utf8');
const requirements = readSecurityRequirements(sdl);
const schema: GraphQLSchema = Supergraph.build(sdl, { supportedFeatures: null })
  .apiSchema()
  .toGraphQLJSSchema();

/** Valid values of the canonical scalars (the gateway refuses invalid ones before authorizing). */
const SCALAR_SAMPLES: Record<string, string> = {
  DateTime: '"2030-01-01T00:00:00Z"',
  LocalDate: '"2030-01-01"',
  TimeZone: '"UTC"',
  Decimal: '"1"',
  CurrencyCode: '"EUR"',
};

/** A literal for an input type: "x", 1, true, the first enum value, required fields. */
function literal(type: GraphQLInputType): string {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return `[${literal(inner.ofType)}]`;
  if (isEnumType(inner)) return inner.getValues()[0]!.name;
  if (isInputObjectType(inner)) {
    const fields = Object.values(inner.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  if (inner.name === 'Int' || inner.name === 'Float') return '1';
  if (inner.name === 'Boolean') return 'true';
  return SCALAR_SAMPLES[inner.name] ?? '"x"';
}

const args = (list: readonly GraphQLArgument[]) => {
  const required = list.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  return required.length
    ? `(${required.map((a) => `${a.name}: ${literal(a.type)}`).join(', ')})`
    : '';
};

type Step = { type: GraphQLObjectType; field: GraphQLField<unknown, unknown> };
const scopesIn = (r: SecurityRequirement | undefined) => (r?.scopes ?? []).flat();

/** One AND-list of `r` avoiding `excluded` scopes ([] when r has none); undefined when none does. */
function freeList(r: SecurityRequirement | undefined, excluded: Set<string>): string[] | undefined {
  if (!r?.scopes) return [];
  return r.scopes.find((list) => list.every((s) => !excluded.has(s)));
}

/**
 * Shortest path of fields from a root type to `target` whose own requirements avoid the
 * target's scopes (so a token can pass the path and still lack the target's scopes).
 */
function pathTo(
  target: string,
  excluded: Set<string>,
): { steps: Step[]; scopes: string[] } | undefined {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  const queue = roots
    .filter(Boolean)
    .map((t) => ({ type: t!, steps: [] as Step[], scopes: [] as string[] }));
  const seen = new Set(queue.map((q) => q.type.name));
  while (queue.length) {
    const current = queue.shift()!;
    if (current.type.name === target) return current;
    for (const field of Object.values(current.type.getFields())) {
      const returned = getNamedType(field.type);
      if (!isObjectType(returned) || seen.has(returned.name)) continue;
      const viaField = freeList(requirements.get(`${current.type.name}.${field.name}`), excluded);
      const viaType =
        returned.name === target ? [] : freeList(requirements.get(returned.name), excluded);
      if (!viaField || !viaType) continue;
      seen.add(returned.name);
      queue.push({
        type: returned,
        steps: [...current.steps, { type: current.type, field }],
        scopes: [...current.scopes, ...viaField, ...viaType],
      });
    }
  }
  return undefined;
}

/** The operation: path fields down to the target, `__typename` under any object. */
function operationFor(
  parent: GraphQLObjectType,
  steps: Step[],
  last?: GraphQLField<unknown, unknown>,
): { source: string; path: string } {
  const fields = last ? [...steps.map((s) => s.field), last] : steps.map((s) => s.field);
  const root = steps[0]?.type ?? parent;
  const kind =
    root === schema.getMutationType()
      ? 'mutation'
      : root === schema.getSubscriptionType()
        ? 'subscription'
        : 'query';
  let body = isObjectType(getNamedType(fields.at(-1)!.type)) ? ' { __typename }' : '';
  for (const field of [...fields].reverse()) {
    body = ` { ${field.name}${args(field.args)}${body} }`;
  }
  return { source: `${kind}${body}`, path: fields.map((f) => f.name).join('.') };
}

type Case = { coordinate: string; source: string; path: string; base: string[]; lists: string[][] };
const cases: Case[] = [];
const skipped: string[] = [];
for (const [coordinate, requirement] of requirements) {
  if (!requirement.scopes) continue;
  const excluded = new Set(scopesIn(requirement));
  const [typeName, fieldName] = coordinate.split('.') as [string, string | undefined];
  if (fieldName) {
    const route = pathTo(typeName, excluded);
    const type = schema.getType(typeName);
    if (!route || !isObjectType(type)) {
      skipped.push(`${coordinate}: no root field reaches ${typeName} without its scopes`);
      continue;
    }
    const { source, path } = operationFor(type, route.steps, type.getFields()[fieldName]!);
    cases.push({ coordinate, source, path, base: route.scopes, lists: requirement.scopes });
  } else {
    // Type-level: a field returning the type, reached without the type's scopes.
    const route = pathTo(typeName, excluded);
    if (!route || route.steps.length === 0) {
      skipped.push(`${coordinate}: no field returning ${typeName} is reachable`);
      continue;
    }
    const { source, path } = operationFor(schema.getQueryType()!, route.steps);
    cases.push({ coordinate, source, path, base: route.scopes, lists: requirement.scopes });
  }
}

describe('every @requiresScopes coordinate of the supergraph is enforced', () => {
  let stack: TestStack;
  before(async () => {
    stack = await startTestStack({ skus: 20, locations: 3, vendors: 2 });
  });
  after(async () => {
    console.log(
      `authorization coverage: ${cases.length} @requiresScopes coordinates checked, ${skipped.length} skipped` +
        skipped.map((s) => `\n  skipped ${s}`).join(''),
    );
    await stack?.close();
  });

  test('the supergraph has scope-protected coordinates and each is reachable', () => {
    assert.ok(cases.length >= 30, `only ${cases.length} coordinates`);
    assert.deepEqual(skipped, []);
  });

  /**
   * A subscription goes over GraphQL over SSE (POSTed without it, it is refused as such before
   * any scope is looked at): the status and, for a refusal, its JSON body; an admitted stream is
   * closed at once.
   */
  async function send(source: string, token: string) {
    if (!source.startsWith('subscription')) return stack.query(source, undefined, { token });
    const controller = new AbortController();
    const res = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: source }),
      signal: controller.signal,
    });
    const streaming = (res.headers.get('content-type') ?? '').includes('text/event-stream');
    const body = streaming ? {} : ((await res.json()) as { errors?: GraphQLErrorJson[] });
    controller.abort();
    return { status: res.status, body };
  }

  for (const c of cases) {
    test(`${c.coordinate} via ${c.path}`, async () => {
      const denied = await send(c.source, devToken({ scopes: c.base }));
      assert.equal(denied.status, 403, `${c.source}: ${JSON.stringify(denied.body)}`);
      const error = denied.body.errors?.[0];
      assert.equal(error?.extensions?.code, 'FORBIDDEN');
      assert.ok((error?.extensions?.unauthorizedPaths as string[]).includes(c.path));
      for (const list of c.lists) {
        const token = devToken({ scopes: [...new Set([...c.base, ...list])] });
        const allowed = await send(c.source, token);
        const codes = (allowed.body.errors ?? []).map((e) => e.extensions?.code);
        assert.notEqual(
          allowed.status,
          403,
          `${c.source} with [${list}]: ${JSON.stringify(allowed.body)}`,
        );
        assert.ok(
          !codes.includes('FORBIDDEN') && !codes.includes('UNAUTHENTICATED'),
          JSON.stringify(codes),
        );
      }
    });
  }
});
