import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createGatewayServer, type RunningGateway } from '../../../../gateway/server.ts';
import { TEST_PRINCIPAL_SECRET } from '../../../helpers/principal.ts';
import {
  startExecutionFederation,
  type ExecutionFederation,
} from './execution-federation.fixture.ts';

/**
 * Response names that Object.prototype defines are data like any other: as aliases (on leaves,
 * objects, `__typename`, inside fragments and entity fetches), as variable names and as argument
 * values. Both executors answer each exactly.
 */
const NAMES = [
  'constructor',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__proto__',
  '__defineGetter__',
  '__lookupSetter__',
];

describe('aliases and values named like Object.prototype members', () => {
  let federation: ExecutionFederation;
  const gateways: Record<'fast' | 'apollo', RunningGateway> = {} as never;

  before(async () => {
    federation = await startExecutionFederation();
    for (const executor of ['fast', 'apollo'] as const) {
      gateways[executor] = await createGatewayServer({
        supergraphSdl: federation.supergraphSdl,
        subgraphUrls: federation.subgraphUrls,
        principalSecret: TEST_PRINCIPAL_SECRET,
        environment: 'development',
        executor,
      }).listen(0);
    }
  });
  after(async () => {
    await gateways.fast?.close();
    await gateways.apollo?.close();
    await federation?.close();
  });

  const post = async (
    executor: 'fast' | 'apollo',
    query: string,
    variables?: Record<string, unknown>,
  ) => {
    const res = await fetch(gateways[executor].url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, text: await res.text() };
  };

  const expectBoth = async (
    query: string,
    expected: unknown,
    variables?: Record<string, unknown>,
  ) => {
    for (const executor of ['fast', 'apollo'] as const) {
      const { status, text } = await post(executor, query, variables);
      assert.equal(status, 200, `${executor}: ${text}`);
      // The exact text: own keys, in order (a `__proto__` key must be in the JSON).
      assert.equal(text, `${JSON.stringify(expected)}\n`, `${executor}: ${query}`);
    }
  };

  for (const name of NAMES) {
    test(`${name} as an alias of a leaf, an object, __typename and in an entity fetch`, async () => {
      await expectBoth(
        `{ me { ${name}: name id } ${name}: user(id: "2") { ${name}: __typename ${name}x: id } }`,
        {
          data: {
            me: { [name]: 'Ada', id: '1' },
            [name]: { [name]: 'User', [`${name}x`]: '2' },
          },
        },
      );
      await expectBoth(`{ me { id ${name}: reviews { ${name}: id ... on Review { stars } } } }`, {
        data: {
          me: {
            id: '1',
            [name]: [
              { [name]: 'r1-1', stars: 3 },
              { [name]: 'r1-2', stars: 4 },
            ],
          },
        },
      });
    });

    test(`${name} as an argument value and a variable name`, async () => {
      await expectBoth(`{ user(id: "${name}") { id } }`, { data: { user: null } });
      await expectBoth(
        `query ($${name}: ID!) { ${name}: user(id: $${name}) { ${name}: name } }`,
        { data: { [name]: { [name]: 'Cy' } } },
        { [name]: '3' },
      );
    });
  }
});
