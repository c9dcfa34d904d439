import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError } from 'graphql';
import {
  databaseUnavailableReason,
  withDatabaseUnavailableErrors,
} from '../../../subgraphs/promotion/storage/database-unavailable.ts';
import type { SqlDatabase } from '../../../subgraphs/promotion/storage/sql-database.ts';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('database connection errors become BACKEND_UNAVAILABLE', () => {
  test('connection errors of pg and Node are recognised; others are not', () => {
    const cases: [Error, string | undefined][] = [
      [
        withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
        'connection failed (ECONNREFUSED)',
      ],
      [withCode('read ECONNRESET', 'ECONNRESET'), 'connection failed (ECONNRESET)'],
      [
        withCode('terminating connection due to administrator command', '57P01'),
        'server shutting down (SQLSTATE 57P01)',
      ],
      [
        withCode('the database system is starting up', '57P03'),
        'server not accepting connections (SQLSTATE 57P03)',
      ],
      [withCode('connection failure', '08006'), 'connection failed (SQLSTATE 08006)'],
      [new Error('Connection terminated unexpectedly'), 'connection lost'],
      [new Error('timeout exceeded when trying to connect'), 'connection lost'],
      [withCode('duplicate key value violates unique constraint "x"', '23505'), undefined],
      [withCode('syntax error at or near "SELEC"', '42601'), undefined],
      [new Error('boom'), undefined],
    ];
    assert.deepEqual(
      cases.map(([error]) => databaseUnavailableReason(error)),
      cases.map(([, reason]) => reason),
    );
    assert.equal(databaseUnavailableReason('ECONNREFUSED'), undefined);
  });

  test('the wrapper maps query, exec and transaction failures and passes others through', async () => {
    const refused = withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED');
    const other = withCode('duplicate key', '23505');
    let fail: Error = refused;
    const db: SqlDatabase = {
      query: async () => Promise.reject(fail),
      exec: async () => Promise.reject(fail),
      transaction: async () => Promise.reject(fail),
      close: async () => undefined,
    };
    const wrapped = withDatabaseUnavailableErrors(db);
    for (const call of [
      () => wrapped.query('SELECT 1'),
      () => wrapped.exec('SELECT 1'),
      () => wrapped.transaction(async () => 1),
    ]) {
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof GraphQLError);
        assert.deepEqual(
          { message: error.message, extensions: error.extensions },
          {
            message: 'database is unavailable: connection failed (ECONNREFUSED)',
            extensions: { code: 'BACKEND_UNAVAILABLE', backend: 'database' },
          },
        );
        return true;
      });
    }
    fail = other;
    await assert.rejects(wrapped.query('SELECT 1'), (error: unknown) => error === other);
    await assert.rejects(
      wrapped.transaction(async () => 1),
      (error: unknown) => error === other,
    );
  });
});
