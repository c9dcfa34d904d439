import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import {
  DEFAULT_OPERATIONS_POLICY,
  type CostDefaults,
} from '../../../../policies/operations-policy.ts';
import {
  NO_COST_DIRECTIVES,
  readCostDirectives,
  type CostDirectives,
} from '../../../../gateway/limits/cost-directives.ts';
import { SlicingArgumentError } from '../../../../gateway/limits/list-size.ts';
import { measureCost } from '../../../../gateway/limits/measure-cost.ts';

/** A supergraph-like SDL linking the cost spec, `@listSize` imported under another name. */
const SDL = `
schema
  @link(url: "https://specs.apollo.dev/link/v1.0")
  @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", { name: "@listSize", as: "@size" }])
{ query: Query mutation: Mutation }
directive @link(url: String, as: String, import: [link__Import]) repeatable on SCHEMA
scalar link__Import
directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
directive @size(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
type Query {
  book(id: ID!): Book
  books(first: Int = 10, last: Int): BookConnection
    @size(slicingArguments: ["first", "last"], sizedFields: ["edges"], requireOneSlicingArgument: false)
  authors: [Author!]! @size(assumedSize: 50)
  tags: [String!]!
  search(term: String! @cost(weight: 3), filter: Filter): [Book!]! @cost(weight: 7)
  strict(first: Int, last: Int): [Book!]! @size(slicingArguments: ["first", "last"])
  rating: Rating
}
scalar Rating @cost(weight: 4)
type Book @cost(weight: 2) { id: ID! title: String author: Author }
type Author { id: ID! name: String books: [Book!]! }
type BookConnection { edges: [BookEdge!]! total: Int }
type BookEdge { node: Book! }
input Filter { tags: [String!] @cost(weight: 1) nested: Filter }
type Mutation { addBook(title: String!): Book }
`;
const schema = buildSchema(SDL);
const directives = readCostDirectives(SDL);
const defaults: CostDefaults = DEFAULT_OPERATIONS_POLICY.cost;

function cost(
  source: string,
  variables: Record<string, unknown> = {},
  model: { directives: CostDirectives; defaults: CostDefaults } = { directives, defaults },
): number {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  return measureCost(schema, document, operation, model, variables);
}

describe('readCostDirectives', () => {
  test('reads @cost on fields, types, arguments and input fields, and renamed @listSize', () => {
    assert.deepEqual(Object.fromEntries(directives.fields), { 'Query.search': 7 });
    assert.deepEqual(Object.fromEntries(directives.types), { Rating: 4, Book: 2 });
    assert.deepEqual(Object.fromEntries(directives.inputs), {
      'Query.search(term:)': 3,
      'Filter.tags': 1,
    });
    assert.deepEqual(directives.listSizes.get('Query.books'), {
      slicingArguments: ['first', 'last'],
      sizedFields: ['edges'],
      requireOneSlicingArgument: false,
    });
    assert.deepEqual(directives.listSizes.get('Query.authors'), {
      assumedSize: 50,
      slicingArguments: [],
      sizedFields: [],
      requireOneSlicingArgument: true,
    });
  });

  test('`as:` names the directives, string weights are read, no link means no directives', () => {
    const read = readCostDirectives(`
      schema @link(url: "https://specs.apollo.dev/cost/v0.1", as: "dc") { query: Query }
      type Query { a: [Int] @dc(weight: "5") @dc__listSize(assumedSize: 3) b: Int @cost(weight: 9) }`);
    assert.deepEqual(Object.fromEntries(read.fields), { 'Query.a': 5 });
    assert.equal(read.listSizes.get('Query.a')?.assumedSize, 3);
    assert.equal(readCostDirectives('type Query { b: Int @cost(weight: 9) }'), NO_COST_DIRECTIVES);
  });

  test('the committed supergraph carries none yet: the policy defaults apply', () => {
    const read = readCostDirectives(readFileSync('contracts/supergraph.graphql', 'utf8'));
    assert.equal(read, NO_COST_DIRECTIVES);
  });
});

describe('measureCost (federation demand-control semantics)', () => {
  test('objects cost 1 (or their type @cost), scalars 0, __typename 0', () => {
    assert.equal(cost('{ book(id: 1) { id title } }'), 2);
    assert.equal(cost('{ book(id: 1) { author { name } } }'), 3);
    assert.equal(cost('{ rating tags __typename }'), 4);
  });

  test('lists: assumedSize, slicing arguments (largest, default, variable), sizedFields', () => {
    assert.equal(cost('{ authors { name } }'), 50);
    assert.equal(cost('{ books { edges { node { id } } } }'), 1 + 10 * 3);
    assert.equal(cost('{ books(first: 3, last: 5) { edges { node { id } } } }'), 1 + 5 * 3);
    assert.equal(
      cost('query ($n: Int) { books(first: $n) { edges { node { id } } } }', { n: 7 }),
      1 + 7 * 3,
    );
    assert.equal(cost('{ authors { books { id } } }'), 50 * (1 + 10 * 2));
  });

  test('field @cost wins over the type; arguments and input objects add their cost', () => {
    assert.equal(cost('{ search(term: "x") { id } }'), 10 * 7 + 3);
    const filter = '{ tags: ["a", "b"], nested: { tags: ["c"] } }';
    // filter: object 1 + tags (1 + 2 × 1) + nested (1 + tags (1 + 1))
    assert.equal(cost(`{ search(term: "x", filter: ${filter}) { id } }`), 70 + 3 + 7);
    assert.equal(
      cost('query ($f: Filter) { search(term: "x", filter: $f) { id } }', {
        f: { tags: ['a', 'b'], nested: { tags: ['c'] } },
      }),
      70 + 3 + 7,
    );
  });

  test('requireOneSlicingArgument: exactly one must be sent', () => {
    assert.equal(cost('{ strict(first: 4) { id } }'), 8);
    assert.throws(
      () => cost('{ strict { id } }'),
      (error: unknown) =>
        error instanceof SlicingArgumentError &&
        error.message ===
          'Query.strict needs exactly one of its slicing arguments (first, last), got 0',
    );
    assert.throws(() => cost('{ strict(first: 1, last: 2) { id } }'), SlicingArgumentError);
  });

  test('a mutation adds mutationCost; skipped fields cost nothing', () => {
    assert.equal(cost('mutation { addBook(title: "x") { id } }'), 10 + 2);
    assert.equal(
      cost(
        'query ($yes: Boolean!) { book(id: 1) @skip(if: true) { id } authors @include(if: $yes) { name } }',
        {
          yes: false,
        },
      ),
      0,
    );
  });

  test('fragments are followed, a 25-level fragment bomb is costed in linear time', () => {
    assert.equal(cost('{ book(id: 1) { ...B } } fragment B on Book { author { id } }'), 3);
    const levels = 25;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i < levels - 1
        ? `fragment F${i} on Author { ...F${i + 1} ...F${i + 1} }`
        : `fragment F${i} on Author { books { id } }`,
    ).join('\n');
    assert.equal(cost(`{ authors { ...F0 } }\n${fragments}`), 50 * (1 + 2 ** 24 * 20));
  });

  test('without supergraph directives the policy fallbacks apply', () => {
    const model = {
      directives: NO_COST_DIRECTIVES,
      defaults: {
        ...defaults,
        listSize: 4,
        fields: { 'Query.book': 5 },
        listSizes: {
          'Query.authors': {
            assumedSize: 2,
            slicingArguments: [],
            sizedFields: [],
            requireOneSlicingArgument: true,
          },
        },
      },
    };
    assert.equal(cost('{ book(id: 1) { id } }', {}, model), 5);
    assert.equal(cost('{ authors { books { id } } }', {}, model), 2 * (1 + 4 * 1));
  });

  test('a list-valued slicing argument sizes the list by its length (our extension)', () => {
    const model = {
      directives: NO_COST_DIRECTIVES,
      defaults: {
        ...defaults,
        listSizes: {
          'Query.authors': {
            assumedSize: 200,
            slicingArguments: ['ids'],
            sizedFields: [],
            requireOneSlicingArgument: false,
          },
        },
      },
    };
    const byIds = buildSchema(
      `type Query { authors(ids: [ID!]): [Author!]! } type Author { id: ID! }`,
    );
    const measure = (source: string, variables: Record<string, unknown> = {}) => {
      const document = parse(source);
      const operation = document.definitions[0] as OperationDefinitionNode;
      return measureCost(byIds, document, operation, model, variables);
    };
    assert.equal(measure('{ authors(ids: ["a", "b", "c"]) { id } }'), 3);
    assert.equal(
      measure('query($ids: [ID!]) { authors(ids: $ids) { id } }', { ids: ['a', 'b'] }),
      2,
    );
    assert.equal(measure('{ authors { id } }'), 200);
  });
});
