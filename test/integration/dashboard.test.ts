import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startDemo, type DemoRun } from '../../app/demo.js';
import { startTlsVtn } from '../support/vtn-harness.js';
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
    await page.waitForSelector('svg[data-chart="customer"]');
    await expect(page.locator('#ledger-status').textContent()).resolves.toMatch(/ledger \(embedded\): \d+ blocks verified/);
    const plots = page.locator('svg[data-chart="customer"][data-event^="dr-"]');
    expect(await plots.count()).toBe(2);
    for (const series of ['baseline', 'target', 'measured']) {
      const points = await plots.first().locator(`polyline[data-series="${series}"]`).getAttribute('points');
      expect(points?.trim().split(' ')).toHaveLength(tomorrow.intervals);
    }
    expect(await page.locator('#dr-body h3').first().innerText()).toMatch(/07:00–19:00 Europe\/Rome/);
    expect(await plots.first().locator('text', { hasText: '12:00' }).count()).toBe(1);
    const allocation = await page.locator('#dr-body table').first().innerText();
    expect(allocation).toMatch(/household-1/);
    expect(allocation).toMatch(/household-2/);
    expect(await page.locator('#dr-body figcaption').first().innerText()).toMatch(/household-1 \(meter-1\) — delivered \d+ %, 48\/48 intervals on target, reward [\d.,]+ tokens/);
    expect(await page.locator('svg[data-chart="tokens"] rect').count()).toBeGreaterThanOrEqual(1);
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
      await page.waitForSelector('svg[data-chart="customer"]', { timeout: 30_000 });
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
