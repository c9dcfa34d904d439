import { readFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { SALES_CHANNELS } from '../canonical/sales-channels.ts';

/**
 * The JSON Schemas whose channel enums are generated from contracts/canonical/sales-channels.ts:
 * every `"channel": { "enum": [...] }` and the channel group of the idempotency-key pattern
 * (`...:(LIVE|SUSPENDED|WITHDRAWN):(ECOMMERCE|...)$`). The rest of each file is hand-written;
 * `npm run contracts` rewrites only those lists, `npm run contracts:check` fails when they differ.
 */
export const CHANNEL_SCHEMA_FILES = [
  'contracts/channel/promotion-publication.v1.schema.json',
  'contracts/events/promotion-state-changed.v1.schema.json',
] as const;

const ENUM = /("channel":\s*\{\s*"enum":\s*)\[[^\]]*\]/g;
const KEY_PATTERN = /(:\(LIVE\|SUSPENDED\|WITHDRAWN\):\()[^)]*(\)\$)/g;

const INTENTS = ':(LIVE|SUSPENDED|WITHDRAWN):(';

type Node = { [key: string]: unknown };

/** Every `channel: { enum }` and idempotency-key pattern of a parsed schema, wherever it sits. */
function channelLists(node: unknown, found: { enums: unknown[]; patterns: string[] }): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node as Node)) {
    if (key === 'channel' && typeof value === 'object' && value !== null && 'enum' in value) {
      found.enums.push((value as Node).enum);
    }
    if (key === 'pattern' && typeof value === 'string' && value.includes(INTENTS)) {
      found.patterns.push(value);
    }
    channelLists(value, found);
  }
}

/** The schema text with its channel lists set to SALES_CHANNELS, formatted as committed. */
export async function withSalesChannels(file: string, text: string): Promise<string> {
  const replaced = text
    .replace(ENUM, (_, head: string) => `${head}${JSON.stringify(SALES_CHANNELS)}`)
    .replace(
      KEY_PATTERN,
      (_, head: string, tail: string) => `${head}${SALES_CHANNELS.join('|')}${tail}`,
    );
  const found = { enums: [] as unknown[], patterns: [] as string[] };
  channelLists(JSON.parse(replaced), found);
  if (found.enums.length === 0) throw new Error(`${file}: no "channel": { "enum": [...] } found`);
  const expected = JSON.stringify(SALES_CHANNELS);
  const pattern = `${INTENTS}${SALES_CHANNELS.join('|')})$`;
  if (
    found.enums.some((list) => JSON.stringify(list) !== expected) ||
    found.patterns.some((p) => !p.endsWith(pattern))
  ) {
    throw new Error(`${file}: a channel list could not be rewritten from SALES_CHANNELS`);
  }
  const config = (await resolveConfig(file)) ?? {};
  return format(replaced, { ...config, filepath: file });
}

/** What `npm run contracts` would write for one file. */
export async function generatedChannelSchema(file: string): Promise<string> {
  return withSalesChannels(file, readFileSync(file, 'utf8'));
}
