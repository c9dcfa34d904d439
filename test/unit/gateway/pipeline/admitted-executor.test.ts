import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApolloGateway } from '@apollo/gateway';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { admittedExecutor } from '../../../../gateway/pipeline/admitted-executor.ts';
import { runChecks, type PipelineStep } from '../../../../gateway/pipeline/pipeline-step.ts';
import {
  resolveOperation,
  type ResolvedOperation,
} from '../../../../gateway/pipeline/resolved-operation.ts';

type Executor = ApolloGateway['executor'];
type RequestContext = Parameters<Executor>[0];

const schema = buildSchema('type Query { a: Int } type Mutation { m: Int }');
const source = 'query Q { a } mutation M { m }';
const document = parse(source);
const [query, mutation] = document.definitions as OperationDefinitionNode[];

function resolved(operationName: string): ResolvedOperation {
  const value = resolveOperation({
    schema,
    source,
    document,
    operationName,
    variables: undefined,
    caller: { principal: undefined, address: undefined, transport: 'http' },
  });
  assert.ok(!Array.isArray(value));
  return value;
}

/** The executor behind the guard: counts what reaches it. */
function innerCounting() {
  const ran: string[] = [];
  const inner: Executor = async (rc) => {
    ran.push(rc.operation.name!.value);
    return { data: {} };
  };
  return { inner, ran };
}

const contextFor = (operation: OperationDefinitionNode, value: ResolvedOperation | undefined) =>
  ({ operation, context: value ? { resolved: value } : {} }) as unknown as RequestContext;

describe('the executor runs only what the pipeline admitted', () => {
  test('an admitted operation runs', async () => {
    const { inner, ran } = innerCounting();
    const stats = { refused: 0 };
    const value = resolved('Q');
    await runChecks([{ name: 'ok' }], value);
    assert.deepEqual(await admittedExecutor(inner, stats)(contextFor(query!, value)), { data: {} });
    assert.deepEqual(ran, ['Q']);
    assert.equal(stats.refused, 0);
  });

  test('no resolved operation, one a step refused, or another operation: refused, nothing runs', async () => {
    const { inner, ran } = innerCounting();
    const stats = { refused: 0 };
    const guard = admittedExecutor(inner, stats);
    const refusing: PipelineStep = {
      name: 'no',
      check() {
        throw new Error('refused');
      },
    };
    const notAdmitted = resolved('M');
    await assert.rejects(runChecks([refusing], notAdmitted));
    const other = resolved('Q');
    await runChecks([], other);
    for (const rc of [
      contextFor(mutation!, undefined),
      contextFor(mutation!, notAdmitted),
      contextFor(mutation!, other),
    ]) {
      const result = await guard(rc);
      assert.deepEqual(
        result.errors?.map((e) => [e.message, e.extensions?.code]),
        [['the operation was not admitted by the request pipeline', 'BAD_REQUEST']],
      );
    }
    assert.deepEqual(ran, []);
    assert.equal(stats.refused, 3);
  });
});
