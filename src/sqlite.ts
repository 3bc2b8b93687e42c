import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Options for better-sqlite3's constructor: FLEXBRIDGE_SQLITE_BINDING names a native binding built
 * for another Node.js than the one node_modules was installed with (the suite's Node 24 run).
 */
export function sqliteDriverOptions(): Database.Options {
  const binding = process.env.FLEXBRIDGE_SQLITE_BINDING;
  return binding ? { nativeBinding: binding } : {};
}

/**
 * Opens a SQLite database the way every FlexBridge store uses it: WAL, and `synchronous=FULL`
 * unless told otherwise (FULL survives power loss, NORMAL a process crash only).
 */
export function openSqlite(path: string, synchronous: 'full' | 'normal' = 'full'): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, sqliteDriverOptions());
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  // Several processes may share a file (VTN workers): a writer waits for another's commit instead of failing.
  db.pragma('busy_timeout = 10000');
  return db;
}
