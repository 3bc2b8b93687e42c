import { SqliteVtnStore } from '../store/sqlite-store.js';

// Replay protection in the store: a nonce is refused as long as it is remembered, and expiry
// (batched, by index) never forgets one inside the retention window.
describe('nonce memory', () => {
  it('refuses a replay inside the retention, forgets expired nonces in batches, and keeps the table bounded by age', async () => {
    const store = new SqliteVtnStore({ path: ':memory:' });
    const remember = (nonce: string, now: number) => store.transaction((tx) => tx.rememberNonce(nonce, 1, now, 10_000));
    const t0 = 1_000_000;
    expect(await remember('a', t0)).toBe(true);
    expect(await remember('a', t0 + 500)).toBe(false);
    // Within the same second expiry does not run again; later it removes only what is older than the retention.
    for (let i = 0; i < 20; i++) expect(await remember(`n${i}`, t0 + 2_000 + i)).toBe(true);
    expect(await remember('a', t0 + 9_999)).toBe(false);
    expect(await remember('late', t0 + 11_000)).toBe(true);
    // 'a' (seen at t0) is past the retention now and was expired: the VTN's signature age check, not the table, refuses it from here on.
    expect(await remember('a', t0 + 11_100)).toBe(true);
    // 'n0'… were seen at t0 + 2_000 …: still inside the retention and so still refused.
    expect(await remember('n5', t0 + 11_100)).toBe(false);
    await store.close();
  });
});

describe('SQLite store files made by earlier versions', () => {
  it('gains the push-lease and request-ID columns on open, keeping what the file held', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { sqliteDriverOptions } = await import('../../src/sqlite.js');
    const path = join(mkdtempSync(join(tmpdir(), 'vtn-old-file-')), 'vtn.sqlite');
    const old = new Database(path, sqliteDriverOptions());
    old.exec(`CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, ven_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,
        delivered_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_error TEXT, push INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE feed (offset INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
      INSERT INTO feed (at, kind, body) VALUES (1, 'ven', '{"action":"registered","venId":"old"}');`);
    old.close();
    const store = new SqliteVtnStore({ path });
    try {
      await store.transaction((tx) => tx.appendFeed('ven', { action: 'registered', venId: 'new' }, 2));
      expect((await store.read.feedAfter(0, 10)).map((e) => (e.data as { venId: string }).venId)).toEqual(['old', 'new']);
      expect(await store.transaction((tx) => tx.claimPushEntries(3, 10, 100, 'n'))).toEqual([]);
    } finally {
      await store.close();
    }
    // Opened again: nothing left to add.
    await new SqliteVtnStore({ path }).close();
  });
});
