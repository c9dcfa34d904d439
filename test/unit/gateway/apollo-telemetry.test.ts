import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Registry } from 'prom-client';
import { applyApolloTelemetry } from '../../../gateway/apollo-telemetry.ts';
import { readGatewayConfig } from '../../../gateway/config.ts';
import { gatewayPlugins } from '../../../gateway/plugins/index.ts';

describe('nothing is sent to Apollo unless the operator opts in', () => {
  test('APOLLO_TELEMETRY_DISABLED: unset or true → off; false → on', () => {
    assert.equal(readGatewayConfig({}).apolloTelemetry, false);
    assert.equal(readGatewayConfig({ APOLLO_TELEMETRY_DISABLED: 'true' }).apolloTelemetry, false);
    assert.equal(readGatewayConfig({ APOLLO_TELEMETRY_DISABLED: 'false' }).apolloTelemetry, true);
  });

  test('off: the variable @apollo/gateway reads is set before it is constructed', () => {
    const before = process.env.APOLLO_TELEMETRY_DISABLED;
    try {
      delete process.env.APOLLO_TELEMETRY_DISABLED;
      applyApolloTelemetry(true);
      assert.equal(process.env.APOLLO_TELEMETRY_DISABLED, undefined);
      applyApolloTelemetry(false);
      assert.equal(process.env.APOLLO_TELEMETRY_DISABLED, 'true');
    } finally {
      if (before === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
      else process.env.APOLLO_TELEMETRY_DISABLED = before;
    }
  });

  test("Apollo Server's usage and schema reporting are disabled in the plugin list", () => {
    const ids = gatewayPlugins({ registry: new Registry(), steps: () => [], suggestions: {} }).map(
      (plugin) => (plugin as { __internal_plugin_id__?: string }).__internal_plugin_id__,
    );
    assert.ok(ids.includes('UsageReporting'), ids.join(', '));
    assert.ok(ids.includes('SchemaReporting'), ids.join(', '));
  });
});
