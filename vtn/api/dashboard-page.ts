// The operator dashboard: one self-contained page (no build step, no CDN), plots drawn as SVG.
// It reads the operator API (/api/vens, /api/events, /api/ledger) and follows /api/feed for live updates.
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>FlexBridge dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1b1f24; background: #f6f8fa; }
  header { background: #0d3b66; color: #fff; padding: 12px 24px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 20px; margin: 0; }
  main { padding: 16px 24px; display: grid; gap: 16px; }
  section { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 12px 16px; }
  h2 { font-size: 16px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #eaeef2; white-space: nowrap; }
  td.num, th.num { text-align: right; }
  .badge { padding: 2px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; }
  .ok { background: #dafbe1; color: #116329; } .bad { background: #ffebe9; color: #a40e26; } .muted { color: #57606a; }
  .plots { display: flex; flex-wrap: wrap; gap: 12px; }
  figure { margin: 0; border: 1px solid #eaeef2; border-radius: 4px; padding: 6px; }
  figcaption { font-size: 12px; color: #57606a; }
  .legend span { margin-right: 12px; font-size: 12px; }
  .mono { font-family: ui-monospace, monospace; font-size: 12px; }
</style>
</head>
<body>
<header>
  <h1>FlexBridge</h1>
  <span id="ledger-status" class="badge muted">ledger: …</span>
  <span id="live" class="muted">connecting…</span>
</header>
<main>
  <section id="dr"><h2>DR events on the ledger: baseline, target and measured</h2><div id="dr-body" class="muted">no DR event allocated yet</div></section>
  <section><h2>Tokens</h2><div id="tokens" class="muted">none yet</div></section>
  <section><h2>VENs</h2><div id="vens" class="muted">none registered</div></section>
  <section><h2>OpenADR events and their versions</h2><div id="events" class="muted">none</div></section>
  <section><h2>Grid orders (TSO setpoints)</h2><div id="orders" class="muted">none</div></section>
  <section><h2>Ledger blocks</h2><div id="blocks" class="muted">no ledger attached</div></section>
  <section><h2>Quarantined VTN records (not anchored)</h2><div id="quarantine" class="muted">none</div></section>
</main>
<script>
"use strict";
// The operator token lives in this tab's session storage, never in the URL (history, logs,
// referrers). A #token=… link is taken once and removed from the address bar.
const given = new URLSearchParams(location.hash.slice(1)).get('token');
if (given) { sessionStorage.setItem('flexbridge-token', given); history.replaceState(null, '', location.pathname); }
function headers() {
  const token = sessionStorage.getItem('flexbridge-token');
  return token ? { authorization: 'Bearer ' + token } : {};
}
function askForToken() {
  if (document.getElementById('login')) return;
  const form = document.createElement('form');
  form.id = 'login';
  form.innerHTML = '<label>Operator API token <input type="password" id="login-token" autocomplete="current-password"></label> <button type="submit">Sign in</button>';
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('flexbridge-token', document.getElementById('login-token').value);
    form.remove();
    soon();
  });
  document.querySelector('header').appendChild(form);
}
async function get(path) {
  const r = await fetch(path, { headers: headers() });
  if (r.status === 401) askForToken();
  if (!r.ok) throw new Error(path + ': ' + r.status);
  return r.json();
}
const esc = (v) => String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const mean = (xs) => xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0;
const fmt = (n, d = 0) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
// Times in the program's zone (the ledger view names it), as the operator's day is lived; UTC until it is known.
let zone = 'UTC';
const when = (ms) => {
  if (zone === 'UTC') return new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  return new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(ms) + ' ' + zone;
};
function table(head, rows, numeric = []) {
  if (!rows.length) return '';
  return '<table><thead><tr>' + head.map((h, i) => '<th' + (numeric.includes(i) ? ' class="num"' : '') + '>' + esc(h) + '</th>').join('') + '</tr></thead><tbody>' +
    rows.map((r) => '<tr>' + r.map((c, i) => '<td' + (numeric.includes(i) ? ' class="num"' : '') + '>' + c + '</td>').join('') + '</tr>').join('') + '</tbody></table>';
}

const SERIES = [['baseline', '#8c959f', ''], ['target', '#1f6feb', '6 3'], ['measured', '#e36209', '']];
function plot(event, c) {
  const W = 560, H = 190, L = 48, B = 22, n = c.baseline.length;
  const max = Math.max(1, ...c.baseline, ...c.target, ...(c.measured || [])) * 1.05;
  const x = (i) => L + (i / n) * (W - L - 8), y = (v) => H - B - (v / max) * (H - B - 8);
  let svg = '<svg width="' + W + '" height="' + H + '" role="img" data-chart="customer" data-event="' + esc(event.eventId) + '" data-meter="' + esc(c.meterId) + '">';
  svg += '<rect x="' + x(event.start) + '" y="8" width="' + (x(event.end) - x(event.start)) + '" height="' + (H - B - 8) + '" fill="#fff8c5"/>';
  for (const t of [0, 0.5, 1]) svg += '<line x1="' + L + '" x2="' + (W - 8) + '" y1="' + y(max * t / 1.05) + '" y2="' + y(max * t / 1.05) + '" stroke="#eaeef2"/><text x="' + (L - 4) + '" y="' + (y(max * t / 1.05) + 4) + '" font-size="10" text-anchor="end">' + fmt(max * t / 1.05) + '</text>';
  // Local hours where they fall: a 23- or 25-hour day puts them off the even spacing.
  const ticks = event.clock ? event.clock.ticks : [0, 6, 12, 18, 24].map((h) => ({ index: h * n / 24, label: String(h).padStart(2, '0') + ':00' }));
  for (const t of ticks) svg += '<text x="' + x(t.index) + '" y="' + (H - 6) + '" font-size="10" text-anchor="' + (t.index >= n ? 'end' : 'middle') + '">' + t.label + '</text>';
  for (const [name, colour, dash] of SERIES) {
    const values = c[name];
    if (!values) continue;
    const points = values.map((v, i) => x(i + 0.5).toFixed(1) + ',' + y(v).toFixed(1)).join(' ');
    svg += '<polyline data-series="' + name + '" fill="none" stroke="' + colour + '" stroke-width="1.6"' + (dash ? ' stroke-dasharray="' + dash + '"' : '') + ' points="' + points + '"/>';
  }
  svg += '<text x="' + L + '" y="12" font-size="10" fill="#57606a">W</text></svg>';
  const s = c.settlement;
  const caption = esc(c.customerId) + ' (' + esc(c.meterId) + ')' + (s ? ' — delivered ' + fmt(s.performance * 100) + ' %, ' + s.compliantIntervals + '/' + s.eventIntervals + ' intervals on target, reward ' + fmt(s.reward, 2) + ' tokens' : ' — not settled yet');
  return '<figure>' + svg + '<figcaption>' + caption + '</figcaption></figure>';
}

function renderLedger(ledger) {
  const status = document.getElementById('ledger-status');
  if (!ledger) {
    status.textContent = 'no ledger attached';
    status.className = 'badge muted';
    return;
  }
  const v = ledger.verification;
  if (ledger.timeZone) zone = ledger.timeZone;
  status.textContent = v.ok ? 'ledger (' + ledger.backend + '): ' + v.blocks + ' blocks verified' : 'ledger: VERIFICATION FAILED (' + v.problems.length + ' problems)';
  status.className = 'badge ' + (v.ok ? 'ok' : 'bad');
  const legend = '<div class="legend">' + SERIES.map(([n, c, d]) => '<span><svg width="24" height="8"><line x1="0" x2="24" y1="4" y2="4" stroke="' + c + '" stroke-width="2"' + (d ? ' stroke-dasharray="' + d + '"' : '') + '/></svg> ' + n + '</span>').join('') + '<span style="background:#fff8c5">&nbsp;event window&nbsp;</span></div>';
  document.getElementById('dr-body').innerHTML = ledger.drEvents.length ? ledger.drEvents.map((e) => {
    const window = (xs) => xs.slice(e.start, e.end);
    // The request is kept per interval of the day; the window's mean is what was asked for.
    const requested = mean(e.request.length === e.intervals ? e.request.slice(e.start, e.end) : e.request);
    const shortfall = e.shortfall.reduce((s, x) => s + x, 0);
    const rows = e.customers.map((c) => [esc(c.customerId), fmt(mean(window(c.baseline))), fmt(mean(window(c.target))), fmt(mean(window(c.reduction))), fmt(mean(window(c.availability)), 2),
      c.measured ? fmt(mean(window(c.measured))) : '—', c.settlement ? fmt(c.settlement.performance * 100) + ' %' : '—', c.settlement ? fmt(c.settlement.reward, 2) : '—']);
    const local = e.clock ? ' ' + esc(e.clock.window) + ' ' + esc(e.clock.timeZone) + ' (intervals ' + e.start + '–' + e.end + ' of ' + e.intervals + ')' : ', intervals ' + e.start + '–' + e.end;
    return '<h3 class="mono">' + esc(e.eventId) + ' — ' + esc(e.date) + local + ', request ' + fmt(requested) + ' W' + (shortfall > 0 ? ', shortfall ' + fmt(shortfall) + ' W·intervals' : ', allocated in full') + (e.settled ? ', settled' : '') + '</h3>' +
      table(['customer', 'baseline W', 'target W', 'reduction W', 'availability', 'measured W', 'delivered', 'reward'], rows, [1, 2, 3, 4, 5, 6, 7]) +
      legend + '<div class="plots">' + e.customers.map((c) => plot(e, c)).join('') + '</div>';
  }).join('') : 'no DR event allocated yet';
  const tokens = ledger.tokens;
  const top = Math.max(1e-9, ...tokens.map((t) => t.balance));
  document.getElementById('tokens').innerHTML = tokens.length ? '<svg width="640" height="' + (tokens.length * 22 + 6) + '" data-chart="tokens">' + tokens.map((t, i) =>
    '<text x="0" y="' + (i * 22 + 16) + '" font-size="12">' + esc(t.customerId) + '</text><rect x="150" y="' + (i * 22 + 4) + '" width="' + Math.max(1, (t.balance / top) * 400) + '" height="16" fill="#2da44e"/><text x="' + (156 + (t.balance / top) * 400) + '" y="' + (i * 22 + 16) + '" font-size="12">' + fmt(t.balance, 2) + '</text>').join('') + '</svg>' : 'none yet';
  document.getElementById('orders').innerHTML = ledger.gridOrders.length ? table(['order', 'from', 'setpoint W', 'received', 'decided in', 'outcome'], ledger.gridOrders.map((o) => [
    '<span class="mono">' + esc(o.orderId) + '</span>', esc(o.origin), fmt(o.setpointW), when(o.receivedAt), (o.decidedAt - o.receivedAt) + ' ms', o.accepted ? 'accepted: ' + o.eventIds.length + ' events' + (o.allocatedBy ? ', allocated by ' + esc(o.allocatedBy) : '') : 'refused: ' + esc(o.reason || '')]), [2]) : 'none';
  const held = ledger.quarantined || [];
  document.getElementById('quarantine').innerHTML = held.length ? table(['feed offset', 'kind', 'since', 'reason'], held.map((q) => [String(q.offset), esc(q.kind), when(q.at), esc(q.reason)]), [0]) : 'none';
  document.getElementById('blocks').innerHTML = '<p>' + (v.ok ? '<span class="badge ok">chain verified</span> ' : '<span class="badge bad">verification failed</span> ') + 'height ' + ledger.height + ', checked at height ' + v.checkedAtHeight + (v.ok ? '' : '<br>' + v.problems.slice(0, 5).map(esc).join('<br>')) + '</p>' +
    (ledger.blocks.some((b) => b.endorsers)
      ? table(['block', 'hash', 'previous', 'transactions', 'endorsed by', 'time'], ledger.blocks.map((b) => [String(b.number), '<span class="mono">' + esc(b.hash.slice(0, 16)) + '…</span>', '<span class="mono">' + esc(b.prevHash.slice(0, 16)) + '…</span>', String(b.transactions), esc((b.endorsers || []).join(', ') || '—'), b.timestampMs ? when(b.timestampMs) : '—']), [0, 3])
      : table(['block', 'hash', 'previous', 'transactions', 'time'], ledger.blocks.map((b) => [String(b.number), '<span class="mono">' + esc(b.hash.slice(0, 16)) + '…</span>', '<span class="mono">' + esc(b.prevHash.slice(0, 16)) + '…</span>', String(b.transactions), when(b.timestampMs)]), [0, 3]));
}

async function refresh() {
  const [vens, events, ledger] = await Promise.all([get('/api/vens'), get('/api/events'), get('/api/ledger').catch(() => null)]);
  if (ledger && ledger.timeZone) zone = ledger.timeZone;
  document.getElementById('vens').innerHTML = table(['VEN', 'name', 'state', 'transport', 'groups'], vens.map((v) =>
    ['<span class="mono">' + esc(v.venId) + '</span>', esc(v.venName || ''), v.state === 'registered' ? '<span class="badge ok">registered</span>' : esc(v.state), esc(v.transportName || '') + (v.httpPullModel === false ? ' push' : ' pull'), esc((v.groupIds || []).join(', '))])) || 'none registered';
  document.getElementById('events').innerHTML = table(['event', 'program', 'status', 'version', 'start', 'signals'], events.map((e) => [
    '<span class="mono">' + esc(e.eventId) + '</span>', esc(e.programId), e.cancelled ? '<span class="badge bad">cancelled</span>' : esc(e.event.descriptor.eventStatus), 'v' + e.modificationNumber + ' (' + (e.modificationNumber + 1) + ' versions)',
    when(e.event.activePeriod.dtstart.epochMs), esc(e.event.signals.map((s) => s.signalName + ' ×' + s.intervals.length).join(', '))]), [3]) || 'none';
  renderLedger(ledger);
  document.getElementById('live').textContent = 'live — updated ' + new Date().toLocaleTimeString();
  document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
}

let pending = null;
function soon() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; refresh().catch((e) => { document.getElementById('live').textContent = 'error: ' + e.message; }); }, 150);
}
async function follow() {
  let after = 0;
  for (;;) {
    try {
      const r = await get('/api/feed?after=' + after + '&limit=1000&waitMs=20000');
      if (r.entries.length) { after = r.next; soon(); }
    } catch (e) {
      document.getElementById('live').textContent = 'reconnecting: ' + e.message;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
soon();
follow();
// The ledger grows without VTN feed entries too (settlements): look again every few seconds.
setInterval(soon, 5000);
</script>
</body>
</html>
`;
