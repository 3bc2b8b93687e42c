/**
 * The PostgreSQL store's schema as numbered migrations. A migration, once released, never changes:
 * a new need is a new number. Each runs in its own transaction; `schema_migrations` records it.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'the 2.0b VTN tables',
    sql: `
CREATE TABLE vens (
  ven_id TEXT PRIMARY KEY, registration_id TEXT NOT NULL UNIQUE, state TEXT NOT NULL, transport_name TEXT NOT NULL,
  body TEXT NOT NULL);
CREATE TABLE programs (program_id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE events (
  event_id TEXT PRIMARY KEY, program_id TEXT NOT NULL, modification_number INTEGER NOT NULL, cancelled BOOLEAN NOT NULL,
  ends_at BIGINT NOT NULL, body TEXT NOT NULL);
CREATE TABLE event_versions (
  event_id TEXT NOT NULL, modification_number INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (event_id, modification_number));
CREATE TABLE event_targets (event_id TEXT NOT NULL, ven_id TEXT NOT NULL, PRIMARY KEY (ven_id, event_id));
CREATE INDEX event_targets_by_event ON event_targets (event_id);
CREATE TABLE event_responses (
  event_id TEXT NOT NULL, modification_number INTEGER NOT NULL, ven_id TEXT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (event_id, ven_id, modification_number));
CREATE TABLE opts (opt_id TEXT PRIMARY KEY, ven_id TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX opts_by_ven ON opts (ven_id);
CREATE TABLE report_registrations (
  ven_id TEXT NOT NULL, report_specifier_id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (ven_id, report_specifier_id));
CREATE TABLE report_requests (
  report_request_id TEXT PRIMARY KEY, ven_id TEXT NOT NULL, state TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX report_requests_by_ven ON report_requests (ven_id);
CREATE TABLE readings (
  ven_id TEXT NOT NULL, report_request_id TEXT NOT NULL, r_id TEXT NOT NULL, dtstart BIGINT NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (ven_id, report_request_id, r_id, dtstart));
CREATE INDEX readings_by_rid ON readings (r_id, dtstart);
CREATE INDEX readings_by_time ON readings (dtstart);
CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY, ven_id TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL,
  delivered_at BIGINT, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, last_error TEXT,
  push BOOLEAN NOT NULL DEFAULT FALSE,
  -- A push in flight is leased to one node until this time; a dead node's lease runs out.
  leased_until BIGINT NOT NULL DEFAULT 0, leased_by TEXT);
CREATE INDEX outbox_pending ON outbox (ven_id, id) WHERE delivered_at IS NULL;
CREATE INDEX outbox_push_due ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL AND push;
-- Offsets are given under the feed lock at commit time, so they follow commit order (see docs/vtn.md).
CREATE TABLE feed ("offset" BIGSERIAL PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE nonces (nonce TEXT NOT NULL, ts BIGINT NOT NULL, seen_at BIGINT NOT NULL, PRIMARY KEY (nonce, ts));
CREATE INDEX nonces_by_age ON nonces (seen_at);
`,
  },
  {
    version: 2,
    name: 'whether messages to a VEN are pushed, kept with the VEN (one statement enqueues a fan-out)',
    sql: `
ALTER TABLE vens ADD COLUMN push BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE vens SET push = (state = 'registered' AND (body::jsonb ? 'transportAddress') AND NOT (body::jsonb->>'httpPullModel')::boolean);
`,
  },
  {
    version: 3,
    name: 'the request each feed entry came from',
    sql: 'ALTER TABLE feed ADD COLUMN request_id TEXT;',
  },
  {
    version: 4,
    name: 'OpenADR 3 objects and the 3.x fields of shared programs and events',
    sql: `
CREATE TABLE objects3 (kind TEXT NOT NULL, id TEXT NOT NULL, client_id TEXT, created_at BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id));
CREATE INDEX objects3_by_client ON objects3 (kind, client_id);
`,
  },
  {
    version: 5,
    name: 'OpenADR 3 webhook deliveries, kept until delivered',
    sql: `
CREATE TABLE webhooks3 (
  id BIGSERIAL PRIMARY KEY, subscription_id TEXT NOT NULL, url TEXT NOT NULL, bearer_token TEXT, body TEXT NOT NULL, created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, last_error TEXT, delivered_at BIGINT, leased_until BIGINT NOT NULL DEFAULT 0, leased_by TEXT);
CREATE INDEX webhooks3_due ON webhooks3 (next_attempt_at, id) WHERE delivered_at IS NULL;
CREATE INDEX webhooks3_by_url ON webhooks3 (url, id) WHERE delivered_at IS NULL;
`,
  },
  {
    version: 6,
    name: 'events in order of creation, for the OpenADR 3 event search',
    sql: `
CREATE INDEX events_by_creation ON events (((body::jsonb ->> 'createdAt')::bigint), event_id);
`,
  },
  {
    version: 7,
    name: 'the bridge: events of the upstream VTN and what was derived from them',
    sql: `
CREATE TABLE upstream_events (upstream_id TEXT PRIMARY KEY, received_at BIGINT NOT NULL, body TEXT NOT NULL);
`,
  },
];
