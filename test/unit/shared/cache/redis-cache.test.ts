import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { Cache } from '../../../../subgraphs/shared/cache/cache.ts';
import {
  createCacheRedisClient,
  createRedisCache,
} from '../../../../subgraphs/shared/cache/redis-cache.ts';
import { cachedPriceSource } from '../../../../subgraphs/pricing/ports/cached-pricing-ports.ts';
import type {
  PriceLookup,
  PriceRecord,
  PriceSource,
} from '../../../../subgraphs/pricing/ports/price-source.port.ts';
import { PriceKind } from '../../../../subgraphs/pricing/pricing-enums.ts';
import { SalesChannel } from '../../../../subgraphs/shared/canonical/enums.ts';
import {
  SHARED_REDIS_URL,
  sharedRedisSkipReason,
} from '../../../integration/throttling/redis-process.ts';
import { freshFor } from '../../../helpers/subgraph-config.ts';
import { freePort } from '../../../helpers/free-port.ts';

const skip = await sharedRedisSkipReason();
const AT = Date.parse('2026-03-01T10:00:00.000Z');

/** A price port that counts its calls and prices every SKU at 9.99 EUR (null for `NOPE`). */
function pricePort(): PriceSource & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async findPrices(lookups: readonly PriceLookup[]) {
      calls.push(lookups.map((l) => l.sku));
      return lookups.map((l): PriceRecord | null =>
        l.sku === 'NOPE'
          ? null
          : {
              sku: l.sku,
              kind: PriceKind.REGULAR,
              amount: '9.99',
              currency: 'EUR',
              perQuantity: 1,
              unitOfMeasure: 'PC',
              locationId: null,
              validFrom: '2026-01-01',
              validTo: null,
              asOf: '2026-12-07T00:00:00.000Z',
            },
      );
    },
  };
}

const lookup = (sku: string, at = AT): PriceLookup => ({
  sku,
  locationId: null,
  channel: SalesChannel.ECOMMERCE,
  at,
});

describe('Redis cache on the shared Redis', { skip: skip ?? false }, () => {
  const namespace = `test-${randomBytes(6).toString('hex')}`;
  const caches: Cache[] = [];
  let admin: Redis;

  /** A cache on its own connection, once connected (before that every read is a miss). */
  async function open(): Promise<Cache> {
    const client = createCacheRedisClient(SHARED_REDIS_URL);
    await once(client, 'ready');
    const cache = createRedisCache({ client, namespace });
    caches.push(cache);
    return cache;
  }

  before(() => {
    admin = new Redis(SHARED_REDIS_URL);
  });
  after(async () => {
    await Promise.all(caches.map((c) => c.close()));
    const keys = await admin.keys(`cache:${namespace}:*`);
    if (keys.length) await admin.del(...keys);
    await admin.quit();
  });

  test('stores JSON values under cache:<namespace>:<key> with a TTL, read back with one MGET', async () => {
    const cache = await open();
    await cache.setMany(
      [
        ['a', { amount: '1.00', tags: ['x'] }],
        ['b', null],
        ['skipped', undefined],
      ],
      5000,
    );
    assert.deepEqual(await cache.getMany(['a', 'nope', 'b', 'skipped']), [
      { amount: '1.00', tags: ['x'] },
      undefined,
      null,
      undefined,
    ]);
    assert.equal(await admin.get(`cache:${namespace}:a`), '{"amount":"1.00","tags":["x"]}');
    const ttl = await admin.pttl(`cache:${namespace}:a`);
    assert.ok(ttl > 4000 && ttl <= 5000, `PTTL ${ttl}`);
    assert.equal(await admin.exists(`cache:${namespace}:skipped`), 0);
  });

  test('a port behind it: a second instance reads what the first one loaded', async () => {
    const port = pricePort();
    const first = cachedPriceSource(port, await open(), freshFor(60_000));
    const second = cachedPriceSource(port, await open(), freshFor(60_000));
    const answer = await first.findPrices([lookup('TG11'), lookup('NOPE')]);
    // same UTC day, another instant: the same entry
    assert.deepEqual(await second.findPrices([lookup('NOPE'), lookup('TG11', AT + 3_600_000)]), [
      answer[1],
      answer[0],
    ]);
    assert.deepEqual(port.calls, [['TG11', 'NOPE']]);
    const keys = (await admin.keys(`cache:${namespace}:pricing:prices:*`)).sort();
    assert.deepEqual(keys, [
      `cache:${namespace}:pricing:prices:v2:NOPE\u0000\u0000ECOMMERCE\u000020513`,
      `cache:${namespace}:pricing:prices:v2:TG11\u0000\u0000ECOMMERCE\u000020513`,
    ]);
  });
});

describe('Redis that cannot answer: requests fall through to the port', () => {
  let mute: Server;
  const sockets: Socket[] = [];
  let muteUrl: string;
  let refusedUrl: string;
  const caches: Cache[] = [];

  before(async () => {
    // Looks like a Redis while the client connects (CLIENT SETINFO, the INFO ready check), then
    // answers nothing.
    const info = '# Server\r\nredis_version:7.0.0\r\nloading:0\r\n';
    mute = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (chunk) => {
        for (const [command] of String(chunk).matchAll(/\$6\r\nclient\r\n|\$4\r\ninfo\r\n/gi)) {
          socket.write(
            /client/i.test(command) ? '+OK\r\n' : `$${Buffer.byteLength(info)}\r\n${info}\r\n`,
          );
        }
      });
    });
    mute.listen(0, '127.0.0.1');
    await once(mute, 'listening');
    muteUrl = `redis://127.0.0.1:${(mute.address() as { port: number }).port}`;
    refusedUrl = `redis://127.0.0.1:${await freePort()}`;
  });
  after(async () => {
    await Promise.all(caches.map((c) => c.close()));
    for (const socket of sockets) socket.destroy();
    mute.close();
  });

  function open(client: Redis, log: string[]): Cache {
    const cache = createRedisCache({ client, log: (line) => log.push(line), name: 'pricing' });
    caches.push(cache);
    return cache;
  }

  test('connection refused: every read is answered by the port, the outage logged once', async () => {
    const log: string[] = [];
    const port = pricePort();
    const client = createCacheRedisClient(refusedUrl);
    const prices = cachedPriceSource(port, open(client, log), freshFor(60_000));
    await once(client, 'error');
    for (let i = 0; i < 3; i++) {
      const [price] = await prices.findPrices([lookup('TG11')]);
      assert.equal(price?.amount, '9.99');
    }
    assert.equal(port.calls.length, 3);
    assert.deepEqual(log, [
      '[pricing] cache: Redis unavailable (connect ECONNREFUSED ' +
        refusedUrl.slice('redis://'.length) +
        '); reading through to the back-end until it returns',
    ]);
  });

  test('a Redis that stops answering costs one command timeout, then is not asked for a while', async () => {
    const log: string[] = [];
    const port = pricePort();
    const client = createCacheRedisClient(muteUrl, { commandTimeoutMs: 100 });
    const prices = cachedPriceSource(port, open(client, log), freshFor(60_000));
    await once(client, 'ready');
    let started = performance.now();
    const [first] = await prices.findPrices([lookup('TG11')]);
    const timedOut = performance.now() - started;
    started = performance.now();
    const [second] = await prices.findPrices([lookup('TG11')]);
    const skipped = performance.now() - started;
    assert.equal(first?.amount, '9.99');
    assert.equal(second?.amount, '9.99');
    assert.equal(port.calls.length, 2);
    assert.ok(timedOut >= 90 && timedOut < 1000, `first read took ${Math.round(timedOut)} ms`);
    assert.ok(skipped < 50, `second read took ${Math.round(skipped)} ms`);
    assert.deepEqual(log, [
      '[pricing] cache: Redis unavailable (Command timed out); reading through to the back-end until it returns',
    ]);
  });
});
