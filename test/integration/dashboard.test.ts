import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startDemo, type DemoRun } from '../../app/demo.js';
import { startTlsVtn, testPki } from '../support/vtn-harness.js';
import { readPem } from '../../src/pki.js';
import { Ven, VenStore } from '../../ven/index.js';
import { eventually } from '../support/eventually.js';
import { localDateOf, localDay } from '../../anchor/domain/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.FLEXBRIDGE_CHROMIUM ?? '/usr/bin/chromium';
const shots = join(root, '.flexbridge', 'screenshots');

describe('dashboard in headless Chromium (Debian chromium, playwright-core)', () => {
  let run: DemoRun | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  it('shows VENs, event versions, baseline/target/measured plots, the allocation, tokens and verified blocks, and updates live', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (installs Debian's chromium package)`);
    const log = console.log;
    const write = process.stdout.write.bind(process.stdout);
    console.log = () => undefined;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      run = await startDemo({ households: 2 });
    } finally {
      console.log = log;
      process.stdout.write = write;
    }
    expect(run.code).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(run.dashboardUrl);

    // Ledger status, the DR day's event with one plot per customer, three series of one value per
    // quarter-hour of tomorrow in Europe/Rome (96, or 92/100 on a change day), on local hours (the
    // demo's TSO setpoint is a DR event of its own, further down).
    const today = localDateOf(Date.now(), 'Europe/Rome');
    const tomorrow = localDay(new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10), 'Europe/Rome', 15);
    await page.waitForSelector('[data-chart="customer"] canvas');
    await expect(page.locator('#ledger-status').textContent()).resolves.toMatch(/ledger \(embedded\): \d+ blocks verified/);
    const plots = page.locator('[data-chart="customer"][data-event^="dr-"]');
    expect(await plots.count()).toBe(2);
    // uPlot draws on a canvas; the chart's element states what it was given.
    for (const series of ['Baseline', 'Target', 'Measured']) expect(Number(await plots.first().getAttribute(`data-points-${series.toLowerCase()}`))).toBe(tomorrow.intervals);
    expect(await plots.first().locator('.u-legend').innerText()).toMatch(/baseline[\s\S]*target[\s\S]*measured/);
    expect(await page.locator('#dr-body h3').first().innerText()).toMatch(/07:00–19:00 Europe\/Rome/);
    expect((await plots.first().getAttribute('data-ticks'))!.split(' ')).toContain('12:00');
    const allocation = await page.locator('#dr-body table').first().innerText();
    expect(allocation).toMatch(/household-1/);
    expect(allocation).toMatch(/household-2/);
    expect(await page.locator('#dr-body figcaption').first().innerText()).toMatch(/household-1 \(meter-1\) — delivered \d+ %, 48\/48 intervals on target, reward [\d.,]+ tokens/);
    expect(Number(await page.locator('[data-chart="tokens"]').getAttribute('data-bars'))).toBeGreaterThanOrEqual(1);
    expect(await page.locator('[data-chart="tokens"] canvas').count()).toBe(1);
    expect(await page.locator('#vens tbody tr').count()).toBe(2);
    expect(await page.locator('#blocks').innerText()).toMatch(/chain verified/);
    expect(await page.locator('#events').innerText()).toMatch(/dr-\d{4}-\d{2}-\d{2}/);

    mkdirSync(shots, { recursive: true });
    const full = join(shots, 'dashboard.png');
    const plot = join(shots, 'dashboard-plot.png');
    await page.screenshot({ path: full, fullPage: true });
    await plots.first().screenshot({ path: plot });
    // A real picture, not an empty page: PNG files of a plausible size.
    for (const file of [full, plot]) expect(statSync(file).size).toBeGreaterThan(10_000);

    // Live: an event created through the operator API appears without a reload.
    const before = Number(await page.locator('body').getAttribute('data-refreshed'));
    const created = await fetch(`${run.apiUrl}/api/events`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ programId: 'seed-002', eventId: 'live-update', dtstart: Date.now() + 3_600_000, signals: [{ signalName: 'SIMPLE', signalType: 'level', intervals: [{ durationMs: 3_600_000, value: 1 }] }] }),
    });
    expect(created.status).toBe(201);
    await page.locator('#events', { hasText: 'live-update' }).waitFor({ timeout: 10_000 });
    expect(Number(await page.locator('body').getAttribute('data-refreshed'))).toBeGreaterThan(before);
    expect(errors).toEqual([]);
  }, 180_000);

  it('asks for the operator token with a form, keeps it out of the URL, and sends no page that can be framed', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (installs Debian's chromium package)`);
    const token = 'dashboard-test-token-0123456789';
    const vtn = await startTlsVtn(mkdtempSync(join(tmpdir(), 'dashboard-token-')), { api: { host: '127.0.0.1', port: 0, token } });
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage();
    try {
      await page.goto(`${vtn.apiUrl}/dashboard`);
      await page.waitForSelector('#login-token');
      await page.fill('#login-token', token);
      await page.click('#login button');
      await page.locator('#live', { hasText: /^live/ }).waitFor({ timeout: 10_000 });
      expect(page.url()).not.toContain(token);
      // An old #token= link still works once, and leaves the address bar clean.
      const second = await browser.newPage();
      await second.goto(`${vtn.apiUrl}/dashboard#token=${token}`);
      await second.locator('#live', { hasText: /^live/ }).waitFor({ timeout: 10_000 });
      expect(second.url()).not.toContain(token);
      const response = await fetch(`${vtn.apiUrl}/dashboard`);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      await second.close();
    } finally {
      await page.close();
      await vtn.vtn.stop();
    }
  }, 60_000);

  it('creates, modifies and cancels an event from the page, shows the VEN\'s opt arrive, pages 10,000 VENs, plots telemetry and requests a report', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (installs Debian's chromium package)`);
    const token = 'dashboard-act-token-0123456789';
    const work = mkdtempSync(join(tmpdir(), 'dashboard-act-'));
    const vtn = await startTlsVtn(join(work, 'vtn'), { api: { host: '127.0.0.1', port: 0, token }, policy: { pollFrequencyMs: 1000, telemetryGranularityMs: 1000, telemetryReportBackMs: 2000 } });
    const pki = testPki();
    const cert = pki.issue('dashboard-ven', 'ecdsa');
    const venStore = new VenStore(join(work, 'ven.sqlite'));
    const ven = new Ven({
      vtnUrl: vtn.oadrUrl, venName: 'dashboard-ven', tls: { key: readPem(cert.keyPath), cert: readPem(cert.certPath), ca: readPem(pki.caPath) }, store: venStore, jitter: 0,
      usage: [{ rId: 'house-power', resourceId: 'meter-1', read: () => 1200 + Math.round(Math.random() * 300) }],
      handlers: { onEvent: () => 'optIn' },
    });
    browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Refusals the test provokes (400, 409), the call before signing in (401) and the absent ledger (404) are logged by the browser as failed loads; anything else, a CSP violation above all, is an error.
    page.on('console', (m) => { if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of (400|401|404|409)/.test(m.text())) errors.push(m.text()); });
    try {
      await ven.start();
      const venId = ven.venId!;
      // A fleet of 10,000 more VENs, for the paged and filtered table.
      await vtn.vtn.store.transaction(async (tx) => {
        for (let i = 0; i < 10_000; i++) {
          await tx.putVen({ venId: `fleet-${String(i).padStart(5, '0')}`, registrationId: `reg-fleet-${i}`, venName: `flat ${i}`, profileName: '2.0b', transportName: 'simpleHttp', httpPullModel: true, reportOnly: false, xmlSignature: false, registeredAt: Date.now(), state: 'registered', groupIds: [i % 10 ? 'city' : 'hills'], resourceIds: [] });
        }
      });

      const response = await fetch(`${vtn.apiUrl}/dashboard`);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toMatch(/script-src 'self';/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      await page.goto(`${vtn.apiUrl}/dashboard`);
      await page.fill('#login-token', token);
      await page.click('#login button');
      await page.locator('#live', { hasText: /^live/ }).waitFor({ timeout: 10_000 });

      // Programs: made from the page, in Rome's time.
      await page.fill('#pg-id', 'dash');
      await page.fill('#pg-name', 'Dashboard program');
      await page.fill('#pg-market', 'not a url');
      await page.click('#program-form button');
      await page.locator('#pg-problems', { hasText: 'marketContext' }).waitFor();
      expect(await page.getAttribute('#pg-market', 'aria-invalid')).toBe('true');
      await page.fill('#pg-market', 'http://flexbridge.example/dash');
      await page.fill('#pg-zone', 'Europe/Rome');
      await page.click('#program-form button');
      await page.locator('#programs', { hasText: 'Europe/Rome' }).waitFor();

      // An event: wrong values are refused on the page, then it is created for our VEN.
      await page.selectOption('#ev-program', 'dash');
      expect(await page.locator('#ev-zone').innerText()).toBe('Europe/Rome');
      const start = Math.ceil((Date.now() + 2 * 3_600_000) / 60_000) * 60_000;
      const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Rome', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(start).map((x) => [x.type, x.value]));
      await page.fill('#ev-start', `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`);
      await page.fill('#ev-id', 'dash-1');
      await page.fill('#ev-count', '4');
      await page.fill('#ev-values', '1, 2, x');
      await page.fill('#ev-vens', venId);
      await page.click('#ev-submit');
      await page.locator('#ev-problems', { hasText: 'values' }).waitFor();
      await page.fill('#ev-values', '1, 2, 3, 4');
      await page.click('#ev-submit');
      await page.locator('#events tr[data-event="dash-1"]').waitFor({ timeout: 10_000 });
      const stored = (await vtn.vtn.store.read.getEvent('dash-1'))!;
      expect(stored.event.activePeriod.dtstart.epochMs).toBe(start);
      expect(stored.event.signals[0]!.intervals.map((i) => i.payloads[0])).toMatchObject([{ value: 1 }, { value: 2 }, { value: 3 }, { value: 4 }]);
      // The same ID again: the VTN's refusal is shown as its problem says.
      await page.fill('#ev-id', 'dash-1');
      await page.fill('#ev-start', `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`);
      await page.fill('#ev-vens', venId);
      await page.click('#ev-submit');
      await page.locator('#ev-problems', { hasText: /already|exists/ }).waitFor();
      await page.click('#ev-clear');

      // Who takes part: the VEN's opt arrives without a reload.
      await page.click('#events tr[data-event="dash-1"] button[data-act="detail"]');
      await page.locator(`#detail-vens tr[data-ven="${venId}"][data-participation="optIn"]`).waitFor({ timeout: 15_000 });
      expect(await page.locator('#detail-summary').innerText()).toMatch(/1 VENs targeted: 1 opted in/);

      // Modify: the form takes the event, a new version reaches the VEN.
      await page.click('#events tr[data-event="dash-1"] button[data-act="edit"]');
      expect(await page.inputValue('#ev-values')).toBe('1, 2, 3, 4');
      expect(await page.inputValue('#ev-start')).toBe(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`);
      await page.fill('#ev-values', '5');
      await page.click('#ev-submit');
      await eventually('version 1 at the VEN', () => ven.events().some((e) => e.eventId === 'dash-1' && e.modificationNumber === 1), 15_000);
      expect((await vtn.vtn.store.read.getEvent('dash-1'))!.event.signals[0]!.intervals.map((i) => (i.payloads[0] as { value: number }).value)).toEqual([5, 5, 5, 5]);
      await page.locator('#detail-id', { hasText: 'dash-1 v1' }).waitFor({ timeout: 10_000 });
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'dashboard-act.png'), fullPage: true });

      // Cancel, in two clicks (no dialog).
      const cancel = page.locator('#events tr[data-event="dash-1"] button[data-act="cancel"]');
      await cancel.click();
      await page.locator('#events tr[data-event="dash-1"] button.armed').click();
      await page.locator('#events tr[data-event="dash-1"]', { hasText: 'cancelled' }).waitFor({ timeout: 10_000 });
      await eventually('the cancellation at the VEN', () => ven.events().some((e) => e.eventId === 'dash-1' && e.status === 'cancelled'), 15_000);
      // The bridge's record of a utility's event, as the bridge writes it: shown with what it became.
      const dash1 = (await vtn.vtn.store.read.getEvent('dash-1'))!.event;
      await vtn.vtn.store.transaction((tx) => tx.putUpstreamEvent({
        upstreamId: 'utility-peak-9', protocol: 'openadr3', upstreamUrl: 'https://utility.example', modificationNumber: 2, event: dash1, status: 'active',
        derivedEventIds: ['up-utility-peak-9-a', 'up-utility-peak-9-b'], opt: 'optIn', allocatedBy: 'share of present power', receivedAt: Date.now(), updatedAt: Date.now(),
      }));
      await page.locator('#upstream', { hasText: 'utility-peak-9' }).waitFor({ timeout: 15_000 });
      expect(await page.locator('#upstream').innerText()).toMatch(/utility-peak-9\s+openadr3 https:\/\/utility\.example\s+2\s+active\s+optIn\s+up-utility-peak-9-a\s+up-utility-peak-9-b\s+share of present power/);

      // 10,001 VENs, 50 to a page, filtered on the server.
      expect(await page.locator('#ven-count').innerText()).toBe('10,001 VENs');
      expect(await page.locator('#vens tbody tr').count()).toBe(50);
      await page.click('#ven-pager button[data-page="next"]');
      await page.locator('#ven-pager', { hasText: '51–100 of 10,001' }).waitFor();
      await page.fill('#ven-filter', 'hills');
      await page.locator('#ven-count', { hasText: '1,000 matching' }).waitFor();
      await page.fill('#ven-filter', 'dashboard-ven');
      await page.locator('#ven-count', { hasText: '1 matching' }).waitFor();

      // The VEN's telemetry, plotted, and a report asked for.
      await page.click(`#vens tr[data-ven="${venId}"] button`);
      await eventually('telemetry on the chart', async () => Number(await page.getAttribute('#ven-telemetry', 'data-readings')) >= 2 && await page.locator('#ven-telemetry canvas').count() === 1, 15_000);
      expect(await page.getAttribute('#ven-telemetry', 'data-series')).toBe('house-power');
      await page.click('#report-form button');
      await page.locator('#rp-result', { hasText: /^requested: / }).waitFor();
      await page.locator('#ven-detail').screenshot({ path: join(shots, 'dashboard-ven.png') });
      expect(statSync(join(shots, 'dashboard-act.png')).size).toBeGreaterThan(10_000);
      expect(page.url()).not.toContain(token);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await ven.stop();
      venStore.close();
      await vtn.vtn.stop();
    }
  }, 120_000);

  it('shows the Fabric channel when the demo runs on Fabric: blocks with their endorsing organisations, and the chain check', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`npm run setup\` (installs Debian's chromium package)`);
    const log = console.log;
    const write = process.stdout.write.bind(process.stdout);
    console.log = () => undefined;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    let fabricRun: DemoRun | undefined;
    try {
      fabricRun = await startDemo({ households: 2, ledger: 'fabric', fabricBasePort: 17250 });
    } finally {
      console.log = log;
      process.stdout.write = write;
    }
    try {
      expect(fabricRun.code).toBe(0);
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
      await page.goto(fabricRun.dashboardUrl);
      await page.waitForSelector('[data-chart="customer"] canvas', { timeout: 30_000 });
      await expect(page.locator('#ledger-status').textContent()).resolves.toMatch(/ledger \(fabric\): \d+ blocks verified/);
      const blocks = await page.locator('#blocks').innerText();
      expect(blocks).toMatch(/chain verified/);
      expect(blocks).toMatch(/RetailerMSP, SystemOperatorMSP/);
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'dashboard-fabric.png'), fullPage: true });
      await page.close();
    } finally {
      await fabricRun?.stop();
    }
  }, 300_000);
});
