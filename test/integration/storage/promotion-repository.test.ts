import { runMigrations } from '../../../subgraphs/promotion/storage/migrate.ts';
import { createPgliteDatabase } from '../../../subgraphs/promotion/storage/pglite-database.ts';
import { PostgresPromotionRepository } from '../../../subgraphs/promotion/storage/postgres-promotion.repository.ts';
import { promotionRepositoryContract } from './promotion-repository-contract.ts';
import { createTestSchema, pgSkipReason } from './storage-fixtures.ts';

promotionRepositoryContract('PostgreSQL on PGlite', async () => {
  const db = await createPgliteDatabase();
  await runMigrations(db);
  return { repository: new PostgresPromotionRepository(db), close: () => db.close() };
});

promotionRepositoryContract(
  'PostgreSQL server (random schema)',
  async () => {
    const schema = await createTestSchema();
    const db = schema.open();
    await runMigrations(db);
    return { repository: new PostgresPromotionRepository(db), close: () => schema.drop() };
  },
  { skip: await pgSkipReason() },
);
