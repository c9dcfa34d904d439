import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ApolloGateway } from '@apollo/gateway';
import {
  assertSupportedVersions,
  gatewayInternals,
  installedVersions,
  SUPPORTED_VERSIONS,
} from '../../../../gateway/execution/apollo-gateway-internals.ts';
import { createFastExecutor } from '../../../../gateway/execution/fast-executor.ts';
import { composeExecutionSupergraph } from './execution-federation.fixture.ts';

const DIR = 'gateway/execution';
const ADAPTER = 'apollo-gateway-internals.ts';

describe('apollo-gateway-internals: the one door to @apollo/gateway internals', () => {
  test('the installed versions are the supported ones', () => {
    assert.deepEqual(installedVersions(), { ...SUPPORTED_VERSIONS });
  });

  test('another version throws, naming the package and both versions', () => {
    assert.throws(
      () =>
        assertSupportedVersions({
          '@apollo/gateway': '2.15.0',
          '@apollo/federation-internals': '2.14.4',
        }),
      {
        message:
          'gateway/execution reads private state of @apollo/gateway 2.14.4 but 2.15.0 is ' +
          'installed: review gateway/execution/apollo-gateway-internals.ts against the new ' +
          'version and update SUPPORTED_VERSIONS (or set GATEWAY_EXECUTOR=apollo).',
      },
    );
    assert.throws(
      () =>
        assertSupportedVersions({
          '@apollo/gateway': '2.14.4',
          '@apollo/federation-internals': '2.14.3',
        }),
      /private state of @apollo\/federation-internals 2\.14\.4 but 2\.14\.3 is installed/,
    );
  });

  test('a missing private member throws naming it, when the executor is created', () => {
    const gateway = new ApolloGateway({ supergraphSdl: composeExecutionSupergraph({}) });
    for (const member of ['queryPlanStore', 'serviceMap', 'recursiveSelectionsLimitDisabled']) {
      const broken = Object.create(gateway) as Record<string, unknown>;
      Object.defineProperty(broken, member, { value: undefined });
      assert.throws(
        () => createFastExecutor(broken as unknown as ApolloGateway, gateway.executor),
        { message: new RegExp(`ApolloGateway has no \\w+ member "${member}" when the executor`) },
      );
    }
    const noValidation = Object.create(gateway) as Record<string, unknown>;
    noValidation.validateIncomingRequest = undefined;
    assert.throws(() => gatewayInternals(noValidation as unknown as ApolloGateway), {
      message:
        'gateway/execution: ApolloGateway has no function member "validateIncomingRequest" ' +
        'when the executor is created (@apollo/gateway 2.14.4 had one).',
    });
  });

  test('the loaded state is checked once a supergraph is loaded', async () => {
    const gateway = new ApolloGateway({ supergraphSdl: composeExecutionSupergraph({}) });
    const internals = gatewayInternals(gateway);
    assert.throws(() => internals.loaded(), {
      message:
        'gateway/execution: ApolloGateway has no object member "schema" after loading a ' +
        'supergraph (@apollo/gateway 2.14.4 had one).',
    });
    await gateway.load();
    try {
      const loaded = internals.loaded();
      assert.equal(loaded.schema, internals.currentSchema());
      assert.deepEqual(Object.keys(loaded.services).sort(), [
        'accounts',
        'inventory',
        'products',
        'ratings',
        'reviews',
      ]);
    } finally {
      await gateway.stop();
    }
  });

  test('no other file of gateway/execution imports @apollo/gateway/dist or federation-internals', () => {
    const offenders = readdirSync(DIR)
      .filter((file) => file.endsWith('.ts') && file !== ADAPTER)
      .filter((file) =>
        /from '@apollo\/(gateway\/dist|federation-internals)/.test(
          readFileSync(`${DIR}/${file}`, 'utf8'),
        ),
      );
    assert.deepEqual(offenders, []);
    // And nothing but the adapter casts ApolloGateway to reach its private fields.
    const casts = readdirSync(DIR)
      .filter((file) => file.endsWith('.ts') && file !== ADAPTER)
      .filter((file) =>
        /queryPlanStore|queryPlanner|serviceMap\b|apiSchema|validateIncoming/.test(
          readFileSync(`${DIR}/${file}`, 'utf8'),
        ),
      );
    assert.deepEqual(casts, []);
  });
});
