import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file the dashboard loads, read once at start. */
export interface DashboardAsset {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * Only scripts and styles from this origin, no inline code, no eval: the page's own files and
 * uPlot's, connections to the API only.
 */
export const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const here = dirname(fileURLToPath(import.meta.url));
const resolve = createRequire(import.meta.url).resolve;

/** The page and its files by URL path; uPlot comes from node_modules (no CDN). */
export function dashboardAssets(): ReadonlyMap<string, DashboardAsset> {
  const own = (name: string): Buffer => readFileSync(join(here, 'dashboard', name));
  const page: DashboardAsset = { contentType: 'text/html; charset=utf-8', body: own('index.html') };
  return new Map<string, DashboardAsset>([
    ['/', page],
    ['/dashboard', page],
    ['/dashboard/app.js', { contentType: 'text/javascript; charset=utf-8', body: own('app.js') }],
    ['/dashboard/app.css', { contentType: 'text/css; charset=utf-8', body: own('app.css') }],
    ['/dashboard/uPlot.iife.min.js', { contentType: 'text/javascript; charset=utf-8', body: readFileSync(resolve('uplot/dist/uPlot.iife.min.js')) }],
    ['/dashboard/uPlot.min.css', { contentType: 'text/css; charset=utf-8', body: readFileSync(resolve('uplot/dist/uPlot.min.css')) }],
  ]);
}
