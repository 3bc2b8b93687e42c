import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens a SQLite database the way every FlexBridge store uses it: WAL, and `synchronous=FULL`
 * unless told otherwise (FULL survives power loss, NORMAL a process crash only).
 */
export function openSqlite(path: string, synchronous: 'full' | 'normal' = 'full'): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  return db;
}
