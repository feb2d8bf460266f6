import { expect } from 'chai';
import { Migrator } from 'kysely';
import { openDatabase } from '../../db/database';
import { MIGRATIONS, migrateToLatest } from '../../db/migrate';
import { describeEachDatabase } from '../support/databases';

describeEachDatabase('migration 0014 on a database that already holds organisations', (kind) => {
  it('admits the pledgee kind and keeps every organisation and the rows that refer to them', async () => {
    const fresh = await kind.create();
    const h = openDatabase(fresh.url);
    try {
      const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0014'));
      const r = await new Migrator({ db: h.db, provider: { getMigrations: async () => before } }).migrateToLatest();
      expect(r.error).to.equal(undefined);
      const at = '2026-01-01T00:00:00.000Z';
      await h.db
        .insertInto('organisations')
        .values({ id: 'org-a', name: '甲', nameEn: 'A', kind: 'lp', stateOwned: 0, createdAt: at })
        .execute();
      await h.db
        .insertInto('users')
        .values({ id: 'u-a', username: 'a', orgId: 'org-a', displayName: 'A', roles: 'seller', passwordHash: 'x', createdAt: at })
        .execute();
      await migrateToLatest(h.db);
      await h.db
        .insertInto('organisations')
        .values({ id: 'org-bank', name: '银行', nameEn: 'Bank', kind: 'pledgee', stateOwned: 0, createdAt: at })
        .execute();
      expect((await h.db.selectFrom('organisations').select('id').orderBy('id').execute()).map((o) => o.id)).to.deep.equal([
        'org-a',
        'org-bank',
      ]);
      expect((await h.db.selectFrom('users').select('orgId').execute())[0]!.orgId).to.equal('org-a');
      // The check still refuses an unknown kind, and the foreign key from users still holds.
      let refused = false;
      await h.db
        .insertInto('organisations')
        .values({ id: 'org-x', name: 'x', nameEn: 'x', kind: 'alien' as 'lp', stateOwned: 0, createdAt: at })
        .execute()
        .catch(() => {
          refused = true;
        });
      expect(refused, 'unknown kind').to.equal(true);
      refused = false;
      await h.db
        .insertInto('users')
        .values({ id: 'u-b', username: 'b', orgId: 'org-none', displayName: 'B', roles: 'seller', passwordHash: 'x', createdAt: at })
        .execute()
        .catch(() => {
          refused = true;
        });
      expect(refused, 'user of a missing organisation').to.equal(true);
    } finally {
      await h.close();
      await fresh.drop();
    }
  });
});
