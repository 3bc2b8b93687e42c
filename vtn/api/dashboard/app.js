// The operator dashboard: plain browser JavaScript served from the VTN (no build step, no CDN), charts
// by uPlot from node_modules. It reads and writes the operator API and follows /api/feed for live
// updates. The page's Content-Security-Policy allows only scripts and styles from this origin, so
// nothing here sets inline styles or handlers: classes and addEventListener only.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const TOKEN_KEY = 'flexbridge-token';
  const PAGE = 50;

  // ——— Sign-in: the token lives in this tab's session storage, never in the URL ———
  const given = new URLSearchParams(location.hash.slice(1)).get('token');
  if (given) { sessionStorage.setItem(TOKEN_KEY, given); history.replaceState(null, '', location.pathname); }
  const authHeaders = () => { const t = sessionStorage.getItem(TOKEN_KEY); return t ? { authorization: 'Bearer ' + t } : {}; };
  function showLogin() { $('login').hidden = false; $('logout').hidden = true; $('login-token').focus(); }
  $('login').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('login-token').value);
    $('login-token').value = '';
    $('login').hidden = true;
    start();
  });
  $('logout').addEventListener('click', () => { sessionStorage.removeItem(TOKEN_KEY); location.reload(); });

  /** One call to the operator API; a refusal throws with its RFC 9457 problem attached. */
  async function api(method, path, body) {
    const r = await fetch(path, { method, headers: { ...authHeaders(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    if (r.status === 401) showLogin();
    const type = r.headers.get('content-type') || '';
    const data = type.includes('json') ? await r.json() : await r.text();
    if (!r.ok) {
      const error = new Error(data && data.detail ? data.detail : method + ' ' + path + ': HTTP ' + r.status);
      error.problem = data;
      throw error;
    }
    return { data, headers: r.headers };
  }
  const get = async (path) => (await api('GET', path)).data;

  // ——— Formatting, in the program's time zone ———
  const esc = (v) => String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const mean = (xs) => xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0;
  const fmt = (n, d = 0) => Number(n).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  let zone = 'UTC';
  let programs = [];
  const zoneOf = (programId) => (programs.find((p) => p.programId === programId) || {}).timeZone || zone;
  const parts = (ms, z) => Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: z, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
    .formatToParts(ms).filter((p) => p.type !== 'literal').map((p) => [p.type, p.value]));
  function when(ms, z = zone) {
    const p = parts(ms, z);
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ':' + p.second + ' ' + z;
  }
  /** The zone's offset from UTC at an instant, in ms. */
  const offsetAt = (ms, z) => { const p = parts(ms, z); return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second) - Math.floor(ms / 1000) * 1000; };
  /** A wall-clock time (datetime-local text) in a zone, as epoch ms; checked again at the result for a DST change. */
  function zonedToEpoch(local, z) {
    const naive = Date.parse(local + (local.length === 16 ? ':00' : '') + 'Z');
    if (Number.isNaN(naive)) return NaN;
    const first = naive - offsetAt(naive, z);
    return naive - offsetAt(first, z);
  }
  const toLocalInput = (ms, z) => { const p = parts(ms, z); return p.year + '-' + p.month + '-' + p.day + 'T' + p.hour + ':' + p.minute; };
  const durationMs = (d) => d ? ((((d.days || 0) * 24 + (d.hours || 0)) * 60 + (d.minutes || 0)) * 60 + (d.seconds || 0)) * 1000 + (d.milliseconds || 0) : 0;
  const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);

  function table(head, rows, numeric = [], rowAttrs = []) {
    if (!rows.length) return '';
    return '<table><thead><tr>' + head.map((h, i) => '<th' + (numeric.includes(i) ? ' class="num"' : '') + '>' + esc(h) + '</th>').join('') + '</tr></thead><tbody>' +
      rows.map((r, j) => '<tr' + (rowAttrs[j] || '') + '>' + r.map((c, i) => '<td' + (numeric.includes(i) ? ' class="num"' : '') + '>' + c + '</td>').join('') + '</tr>').join('') + '</tbody></table>';
  }
  const pager = (el, offset, total, go) => {
    el.innerHTML = total > PAGE ? '<button type="button" class="small" data-page="prev"' + (offset === 0 ? ' disabled' : '') + '>‹ previous</button><span>' + fmt(offset + 1) + '–' + fmt(Math.min(total, offset + PAGE)) + ' of ' + fmt(total) + '</span><button type="button" class="small" data-page="next"' + (offset + PAGE >= total ? ' disabled' : '') + '>next ›</button>' : '';
    el.onclick = (e) => { const b = e.target.closest('button[data-page]'); if (b) go(b.dataset.page === 'next' ? offset + PAGE : Math.max(0, offset - PAGE)); };
  };

  // ——— Charts (uPlot) ———
  const charts = new Map();
  function chart(el, key, options, data) {
    const old = charts.get(key);
    if (old && old.root.isConnected && old.series.length === options.series.length) { old.setData(data); return old; }
    if (old) old.destroy();
    el.replaceChildren();
    const made = new uPlot(options, data, el);
    charts.set(key, made);
    return made;
  }
  /** Shades [from, to) of the x scale (an event window) behind the series. */
  const shade = (from, to) => ({ hooks: { drawClear: [(u) => {
    const left = u.valToPos(from, 'x', true), right = u.valToPos(to, 'x', true);
    u.ctx.save(); u.ctx.fillStyle = '#fff8c5'; u.ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height); u.ctx.restore();
  }] } });
  const SERIES = [['baseline', '#8c959f', undefined], ['target', '#1f6feb', [6, 3]], ['measured', '#e36209', undefined]];

  function customerChart(el, event, c) {
    const n = c.baseline.length;
    const xs = c.baseline.map((_, i) => i + 0.5);
    // Local hours where they fall: a 23- or 25-hour day puts them off the even spacing.
    const ticks = event.clock ? event.clock.ticks : [0, 6, 12, 18, 24].map((h) => ({ index: h * n / 24, label: String(h).padStart(2, '0') + ':00' }));
    const shown = SERIES.filter(([name]) => c[name]);
    for (const [name] of shown) el.dataset['points' + name[0].toUpperCase() + name.slice(1)] = String(c[name].length);
    el.dataset.ticks = ticks.map((t) => t.label).join(' ');
    chart(el, 'customer:' + event.eventId + ':' + c.meterId, {
      width: 560, height: 220, legend: { show: true }, cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false, range: [0, n] } },
      axes: [{ splits: () => ticks.map((t) => t.index), values: (u, splits) => splits.map((s) => (ticks.find((t) => t.index === s) || {}).label || '') }, { label: 'W', size: 60 }],
      series: [{ label: 'interval', value: (u, v) => v == null ? '—' : String(Math.floor(v)) }, ...shown.map(([label, stroke, dash]) => ({ label, stroke, width: 1.6, ...(dash ? { dash } : {}), value: (u, v) => v == null ? '—' : fmt(v) + ' W' }))],
      plugins: [shade(event.start, event.end)],
    }, [xs, ...shown.map(([name]) => c[name])]);
  }

  // ——— Programs ———
  async function loadPrograms() {
    programs = await get('/api/programs');
    $('programs').innerHTML = table(['program', 'name', 'market context', 'time zone', 'created'], programs.map((p) => ['<span class="mono">' + esc(p.programId) + '</span>', esc(p.name), esc(p.marketContext), esc(p.timeZone || 'UTC'), when(p.createdAt, p.timeZone || zone)])) || 'none';
    const select = $('ev-program');
    const chosen = select.value;
    select.innerHTML = programs.map((p) => '<option value="' + esc(p.programId) + '">' + esc(p.programId) + ' — ' + esc(p.name) + '</option>').join('');
    if (chosen && programs.some((p) => p.programId === chosen)) select.value = chosen;
    $('ev-zone').textContent = zoneOf(select.value);
  }
  $('ev-program').addEventListener('change', () => { $('ev-zone').textContent = zoneOf($('ev-program').value); });
  $('program-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const input = { programId: $('pg-id').value.trim(), name: $('pg-name').value.trim(), marketContext: $('pg-market').value.trim(), ...($('pg-zone').value.trim() ? { timeZone: $('pg-zone').value.trim() } : {}) };
    const fields = { programId: 'pg-id', name: 'pg-name', marketContext: 'pg-market', timeZone: 'pg-zone' };
    if (await submit('pg-problems', fields, () => api('POST', '/api/programs', input))) { $('program-form').reset(); await loadPrograms(); }
  });

  /** Sends a form's request; shows the problem's field issues next to the fields. True when it was accepted. */
  async function submit(problemsId, fields, send, localIssues = []) {
    for (const id of Object.values(fields)) $(id).removeAttribute('aria-invalid');
    const show = (issues, detail) => {
      $(problemsId).innerHTML = (issues.length ? issues : [{ path: '', message: detail }]).map((i) => '<li>' + (i.path ? '<b>' + esc(i.path) + '</b>: ' : '') + esc(i.message) + '</li>').join('');
      for (const i of issues) { const id = fields[i.path.split('.')[0]]; if (id) $(id).setAttribute('aria-invalid', 'true'); }
    };
    if (localIssues.length) { show(localIssues); return false; }
    try {
      await send();
      $(problemsId).innerHTML = '';
      return true;
    } catch (error) {
      show((error.problem && error.problem.issues) || [], error.message);
      return false;
    }
  }

  // ——— The event form: create, or modify the event being edited ———
  let editing = null;
  async function loadSignalChoices() {
    // The names and types the API accepts, from its own OpenAPI document.
    const doc = await (await fetch('/openapi.json')).json();
    const signal = doc.paths['/api/events'].post.requestBody.content['application/json'].schema.properties.signals.items.properties;
    const names = (signal.signalName.anyOf || [signal.signalName]).flatMap((s) => s.enum || []);
    $('ev-signal-name').innerHTML = names.map((n) => '<option>' + esc(n) + '</option>').join('');
    $('ev-signal-type').innerHTML = (signal.signalType.enum || []).map((n) => '<option>' + esc(n) + '</option>').join('');
  }
  function resetEditor() {
    editing = null;
    $('event-form').reset();
    $('editor-title').textContent = 'New event';
    $('ev-submit').textContent = 'Create event';
    $('ev-id').disabled = false;
    $('ev-problems').innerHTML = '';
    $('ev-start').value = toLocalInput(Date.now() + 3_600_000 - (Date.now() % 60_000), zoneOf($('ev-program').value));
    $('ev-zone').textContent = zoneOf($('ev-program').value);
  }
  $('ev-clear').addEventListener('click', resetEditor);
  function editEvent(record) {
    editing = record;
    const ev = record.event, s = ev.signals[0], z = zoneOf(record.programId);
    $('ev-program').value = record.programId;
    $('ev-zone').textContent = z;
    $('ev-id').value = record.eventId;
    $('ev-id').disabled = true;
    $('ev-start').value = toLocalInput(ev.activePeriod.dtstart.epochMs, z);
    $('ev-signal-name').value = s.signalName;
    $('ev-signal-type').value = s.signalType;
    $('ev-units').value = s.itemBase ? (s.itemBase.siScaleCode === 'k' ? 'kW' : 'W') : '';
    $('ev-count').value = String(s.intervals.length);
    $('ev-minutes').value = String(Math.round(durationMs(s.intervals[0].duration) / 60_000));
    $('ev-values').value = s.intervals.map((i) => i.payloads[0].value).join(', ');
    $('ev-vens').value = (ev.target.venIds || []).join(', ');
    $('ev-groups').value = (ev.target.groupIds || []).join(', ');
    $('ev-comment').value = '';
    $('editor-title').textContent = 'Modify ' + record.eventId + ' (version ' + record.modificationNumber + ')';
    $('ev-submit').textContent = 'Save as version ' + (record.modificationNumber + 1);
    $('event-editor').scrollIntoView();
  }
  $('event-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const programId = $('ev-program').value;
    const count = Number($('ev-count').value), minutes = Number($('ev-minutes').value);
    const values = list($('ev-values').value).map(Number);
    const dtstart = zonedToEpoch($('ev-start').value, zoneOf(programId));
    const issues = [];
    if (!programId) issues.push({ path: 'programId', message: 'create a program first' });
    if (Number.isNaN(dtstart)) issues.push({ path: 'dtstart', message: 'give a start date and time' });
    if (!Number.isInteger(count) || count < 1 || count > 3000) issues.push({ path: 'count', message: 'between 1 and 3,000 intervals' });
    if (!Number.isInteger(minutes) || minutes < 1) issues.push({ path: 'minutes', message: 'whole minutes, at least 1' });
    if (!values.length || values.some((v) => !Number.isFinite(v))) issues.push({ path: 'values', message: 'numbers, comma-separated' });
    else if (values.length !== 1 && values.length !== count) issues.push({ path: 'values', message: 'one value, or one per interval (' + count + ')' });
    const venIds = list($('ev-vens').value), groupIds = list($('ev-groups').value);
    const input = {
      programId, dtstart: Number.isNaN(dtstart) ? 0 : new Date(dtstart).toISOString(),
      ...(editing ? {} : $('ev-id').value.trim() ? { eventId: $('ev-id').value.trim() } : {}),
      signals: [{ signalName: $('ev-signal-name').value, signalType: $('ev-signal-type').value, ...($('ev-units').value ? { units: $('ev-units').value } : {}),
        intervals: Array.from({ length: count > 0 && count <= 3000 ? count : 0 }, (_, i) => ({ durationMs: minutes * 60_000, value: values.length === 1 ? values[0] : values[i] })) }],
      ...(venIds.length || groupIds.length ? { targets: { ...(venIds.length ? { venIds } : {}), ...(groupIds.length ? { groupIds } : {}) } } : {}),
      ...($('ev-comment').value.trim() ? { [editing ? 'modificationReason' : 'vtnComment']: $('ev-comment').value.trim() } : {}),
    };
    const fields = { programId: 'ev-program', eventId: 'ev-id', dtstart: 'ev-start', count: 'ev-count', minutes: 'ev-minutes', values: 'ev-values', signals: 'ev-values', targets: 'ev-vens', vtnComment: 'ev-comment', modificationReason: 'ev-comment' };
    let saved;
    const ok = await submit('ev-problems', fields, async () => {
      saved = (await api(editing ? 'PUT' : 'POST', editing ? '/api/events/' + encodeURIComponent(editing.eventId) : '/api/events', input)).data;
    }, issues);
    if (ok) { resetEditor(); selectedEvent = saved.eventId; eventOffset = 0; soon(); }
  });

  // ——— Events and who takes part ———
  let selectedEvent = null;
  let eventOffset = 0;
  let events = [];
  // Cancel buttons clicked once, until when they wait for the second click (the table is redrawn live).
  const armed = new Map();
  async function loadEvents() {
    events = await get('/api/events');
    events.sort((a, b) => b.updatedAt - a.updatedAt);
    $('events').innerHTML = table(['event', 'program', 'status', 'version', 'start', 'signals', ''], events.map((e) => [
      '<span class="mono">' + esc(e.eventId) + '</span>', esc(e.programId), e.cancelled ? '<span class="badge bad">cancelled</span>' : esc(e.event.descriptor.eventStatus),
      'v' + e.modificationNumber, when(e.event.activePeriod.dtstart.epochMs, zoneOf(e.programId)), esc(e.event.signals.map((s) => s.signalName + ' ×' + s.intervals.length).join(', ')),
      '<button type="button" class="small" data-act="detail">participation</button> ' + (e.cancelled ? '' : '<button type="button" class="small" data-act="edit">modify</button> ' +
        ((armed.get(e.eventId) || 0) > Date.now() ? '<button type="button" class="small danger armed" data-act="cancel">confirm cancel</button>' : '<button type="button" class="small danger" data-act="cancel">cancel</button>')),
    ]), [], events.map((e) => ' data-event="' + esc(e.eventId) + '"' + (e.eventId === selectedEvent ? ' class="selected"' : ''))) || 'none';
  }
  $('events').addEventListener('click', async (e) => {
    const button = e.target.closest('button[data-act]');
    if (!button) return;
    const record = events.find((ev) => ev.eventId === button.closest('tr').dataset.event);
    if (!record) return;
    if (button.dataset.act === 'detail') { selectedEvent = record.eventId; eventOffset = 0; await loadEvents(); await loadEventDetail(); $('event-detail').scrollIntoView(); }
    if (button.dataset.act === 'edit') editEvent(record);
    if (button.dataset.act === 'cancel') {
      // Two steps, no dialog: the first click arms the button for five seconds.
      if ((armed.get(record.eventId) || 0) <= Date.now()) {
        armed.set(record.eventId, Date.now() + 5000);
        setTimeout(() => { armed.delete(record.eventId); void loadEvents(); }, 5000);
        await loadEvents();
        return;
      }
      armed.delete(record.eventId);
      try { await api('POST', '/api/events/' + encodeURIComponent(record.eventId) + '/cancel', { reason: 'cancelled from the dashboard' }); } catch (error) { $('live').textContent = 'cancel failed: ' + error.message; }
      soon();
    }
  });
  async function loadEventDetail() {
    if (!selectedEvent) return;
    const detail = await get('/api/events/' + encodeURIComponent(selectedEvent));
    $('event-detail').hidden = false;
    $('detail-id').textContent = detail.eventId + ' v' + detail.modificationNumber;
    const latest = new Map();
    for (const r of detail.responses) latest.set(r.venId, r);
    const counts = { optIn: 0, optOut: 0 };
    for (const v of detail.venIds) if (detail.participation[v]) counts[detail.participation[v]]++;
    const silent = detail.venIds.length - counts.optIn - counts.optOut;
    $('detail-summary').innerHTML = '<p>' + fmt(detail.venIds.length) + ' VENs targeted: <span class="badge ok" id="count-optin">' + fmt(counts.optIn) + ' opted in</span> <span class="badge bad">' + fmt(counts.optOut) + ' opted out</span> <span class="badge muted">' + fmt(silent) + ' not answered</span>' +
      (detail.cancelled ? ' <span class="badge bad">cancelled</span>' : '') + ' — ' + detail.versions.length + ' versions</p>';
    const page = detail.venIds.slice(eventOffset, eventOffset + PAGE);
    $('detail-vens').innerHTML = table(['VEN', 'takes part', 'last answer', 'to version'], page.map((v) => {
      const p = detail.participation[v], r = latest.get(v);
      return ['<span class="mono">' + esc(v) + '</span>', p === 'optIn' ? '<span class="badge ok">opted in</span>' : p === 'optOut' ? '<span class="badge bad">opted out</span>' : '<span class="muted">—</span>', r ? when(r.receivedAt, zoneOf(detail.programId)) : '—', r ? 'v' + r.modificationNumber : '—'];
    }), [], page.map((v) => ' data-ven="' + esc(v) + '" data-participation="' + (detail.participation[v] || 'none') + '"')) || '<p class="muted">no VEN targeted</p>';
    pager($('detail-pager'), eventOffset, detail.venIds.length, (offset) => { eventOffset = offset; void loadEventDetail(); });
  }

  // ——— VENs: filtered and paged on the server, for fleets of 10,000 and more ———
  let venOffset = 0;
  let selectedVen = null;
  let filterTimer = null;
  $('ven-filter').addEventListener('input', () => { clearTimeout(filterTimer); filterTimer = setTimeout(() => { venOffset = 0; void loadVens(); }, 250); });
  async function loadVens() {
    const q = $('ven-filter').value.trim();
    const { data, headers } = await api('GET', '/api/vens?limit=' + PAGE + '&offset=' + venOffset + (q ? '&q=' + encodeURIComponent(q) : ''));
    const total = Number(headers.get('x-total-count') || data.length);
    $('ven-count').textContent = fmt(total) + (q ? ' matching' : ' VENs');
    $('vens').innerHTML = table(['VEN', 'name', 'state', 'transport', 'groups', 'registered', ''], data.map((v) => [
      '<span class="mono">' + esc(v.venId) + '</span>', esc(v.venName || ''), v.state === 'registered' ? '<span class="badge ok">registered</span>' : esc(v.state),
      esc(v.transportName || '') + (v.httpPullModel === false ? ' push' : ' pull'), esc((v.groupIds || []).join(', ')), when(v.registeredAt), '<button type="button" class="small" data-act="open">open</button>',
    ]), [], data.map((v) => ' data-ven="' + esc(v.venId) + '"' + (v.venId === selectedVen ? ' class="selected"' : ''))) || (q ? 'no VEN matches' : 'none registered');
    pager($('ven-pager'), venOffset, total, (offset) => { venOffset = offset; void loadVens(); });
  }
  $('vens').addEventListener('click', async (e) => {
    const row = e.target.closest('tr[data-ven]');
    if (!row || !e.target.closest('button')) return;
    selectedVen = row.dataset.ven;
    await Promise.all([loadVens(), loadVenDetail()]);
    $('ven-detail').scrollIntoView();
  });
  async function loadVenDetail() {
    if (!selectedVen) return;
    const id = encodeURIComponent(selectedVen);
    const [ven, readings] = await Promise.all([get('/api/vens/' + id), get('/api/readings?venId=' + id + '&from=' + (Date.now() - 86_400_000) + '&limit=20000')]);
    $('ven-detail').hidden = false;
    $('ven-detail-id').textContent = ven.venId;
    $('ven-detail-summary').innerHTML = '<p>' + esc(ven.venName || '') + ' — ' + esc(ven.state) + ', ' + esc(ven.transportName) + (ven.httpPullModel ? ' pull' : ' push') + ', ' + ven.pending.length + ' messages waiting, ' +
      ven.opts.filter((o) => !o.cancelled).length + ' opts, ' + ven.reportRequests.filter((r) => r.state !== 'cancelled').length + ' report requests open</p>';
    const select = $('rp-specifier');
    const chosen = select.value;
    select.innerHTML = ven.reportRegistrations.map((r) => '<option value="' + esc(r.reportSpecifierId) + '">' + esc(r.report.reportName || '') + ' ' + esc(r.reportSpecifierId) + '</option>').join('') + '<option value="METADATA">METADATA (register again)</option>';
    if (chosen) select.value = chosen;
    // One series per data point that carries numbers, over the last day, in the dashboard's zone.
    const byRid = new Map();
    for (const r of readings) if (r.payload && r.payload.value && r.payload.value.kind === 'float') (byRid.get(r.rId) || byRid.set(r.rId, new Map()).get(r.rId)).set(r.dtstart, r.payload.value.value);
    const el = $('ven-telemetry');
    const rIds = [...byRid.keys()].sort();
    el.dataset.readings = String(readings.length);
    el.dataset.series = rIds.join(' ');
    if (!rIds.length) { charts.get('telemetry')?.destroy(); charts.delete('telemetry'); el.innerHTML = '<p class="muted">no telemetry in the last 24 hours</p>'; return; }
    const xs = [...new Set(rIds.flatMap((rId) => [...byRid.get(rId).keys()]))].sort((a, b) => a - b);
    const colours = ['#1f6feb', '#e36209', '#2da44e', '#8250df', '#cf222e'];
    chart(el, 'telemetry', {
      width: Math.min(1100, el.clientWidth || 900), height: 260, ms: 1, tzDate: (ts) => uPlot.tzDate(new Date(ts), zone),
      axes: [{}, { label: 'value', size: 60 }],
      series: [{ label: 'time (' + zone + ')' }, ...rIds.map((rId, i) => ({ label: rId, stroke: colours[i % colours.length], width: 1.5, spanGaps: false }))],
    }, [xs, ...rIds.map((rId) => xs.map((x) => { const v = byRid.get(rId).get(x); return v === undefined ? null : v; }))]);
  }
  $('report-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const granularity = Number($('rp-granularity').value), back = Number($('rp-back').value);
    try {
      const { data } = await api('POST', '/api/vens/' + encodeURIComponent(selectedVen) + '/reports', { requests: [{ reportSpecifierId: $('rp-specifier').value, granularityMs: granularity * 1000, reportBackMs: back * 1000 }] });
      $('rp-result').textContent = 'requested: ' + data.reportRequests.map((r) => r.reportRequestId).join(', ');
    } catch (error) {
      $('rp-result').textContent = 'refused: ' + error.message;
    }
  });

  // ——— The ledger: DR events, tokens, grid orders, blocks ———
  let lastLedger = '';
  function renderLedger(ledger) {
    const status = $('ledger-status');
    if (!ledger) { status.textContent = 'no ledger attached'; status.className = 'badge muted'; return; }
    const text = JSON.stringify(ledger);
    if (text === lastLedger) return;
    lastLedger = text;
    const v = ledger.verification;
    if (ledger.timeZone) zone = ledger.timeZone;
    status.textContent = v.ok ? 'ledger (' + ledger.backend + '): ' + v.blocks + ' blocks verified' : 'ledger: VERIFICATION FAILED (' + v.problems.length + ' problems)';
    status.className = 'badge ' + (v.ok ? 'ok' : 'bad');
    const body = $('dr-body');
    body.innerHTML = ledger.drEvents.length ? ledger.drEvents.map((e, k) => {
      const window = (xs) => xs.slice(e.start, e.end);
      // The request is kept per interval of the day; the window's mean is what was asked for.
      const requested = mean(e.request.length === e.intervals ? e.request.slice(e.start, e.end) : e.request);
      const shortfall = e.shortfall.reduce((s, x) => s + x, 0);
      const rows = e.customers.map((c) => [esc(c.customerId), fmt(mean(window(c.baseline))), fmt(mean(window(c.target))), fmt(mean(window(c.reduction))), fmt(mean(window(c.availability)), 2),
        c.measured ? fmt(mean(window(c.measured))) : '—', c.settlement ? fmt(c.settlement.performance * 100) + ' %' : '—', c.settlement ? fmt(c.settlement.reward, 2) : '—']);
      const local = e.clock ? ' ' + esc(e.clock.window) + ' ' + esc(e.clock.timeZone) + ' (intervals ' + e.start + '–' + e.end + ' of ' + e.intervals + ')' : ', intervals ' + e.start + '–' + e.end;
      return '<h3 class="mono">' + esc(e.eventId) + ' — ' + esc(e.date) + local + ', request ' + fmt(requested) + ' W' + (shortfall > 0 ? ', shortfall ' + fmt(shortfall) + ' W·intervals' : ', allocated in full') + (e.settled ? ', settled' : '') + '</h3>' +
        table(['customer', 'baseline W', 'target W', 'reduction W', 'availability', 'measured W', 'delivered', 'reward'], rows, [1, 2, 3, 4, 5, 6, 7]) +
        '<p><span class="legend-window">event window</span> shaded; target dashed</p><div class="plots">' + e.customers.map((c, j) => {
          const s = c.settlement;
          const caption = esc(c.customerId) + ' (' + esc(c.meterId) + ')' + (s ? ' — delivered ' + fmt(s.performance * 100) + ' %, ' + s.compliantIntervals + '/' + s.eventIntervals + ' intervals on target, reward ' + fmt(s.reward, 2) + ' tokens' : ' — not settled yet');
          return '<figure><div class="chart" data-chart="customer" data-k="' + k + '" data-j="' + j + '" data-event="' + esc(e.eventId) + '" data-meter="' + esc(c.meterId) + '"></div><figcaption>' + caption + '</figcaption></figure>';
        }).join('') + '</div>';
    }).join('') : 'no DR event allocated yet';
    for (const el of body.querySelectorAll('[data-chart="customer"]')) { const e = ledger.drEvents[+el.dataset.k]; customerChart(el, e, e.customers[+el.dataset.j]); }

    const tokens = ledger.tokens;
    const tokenEl = $('tokens');
    if (tokens.length) {
      if (!tokenEl.querySelector('.chart')) tokenEl.innerHTML = '<div class="chart" data-chart="tokens"></div>';
      const el = tokenEl.querySelector('.chart');
      el.dataset.bars = String(tokens.length);
      chart(el, 'tokens', {
        width: Math.max(320, Math.min(900, tokens.length * 90)), height: 220, scales: { x: { time: false, range: [-0.5, tokens.length - 0.5] } },
        axes: [{ splits: () => tokens.map((_, i) => i), values: (u, splits) => splits.map((i) => (tokens[i] ? tokens[i].customerId : '')) }, { label: 'tokens', size: 60 }],
        series: [{ label: 'customer', value: (u, i) => (tokens[i] ? tokens[i].customerId : '—') }, { label: 'balance', fill: '#2da44e', stroke: '#116329', paths: uPlot.paths.bars({ size: [0.6, 80] }), value: (u, v) => v == null ? '—' : fmt(v, 2) }],
      }, [tokens.map((_, i) => i), tokens.map((t) => t.balance)]);
    } else tokenEl.textContent = 'none yet';

    $('orders').innerHTML = ledger.gridOrders.length ? table(['order', 'from', 'setpoint W', 'received', 'decided in', 'outcome'], ledger.gridOrders.map((o) => [
      '<span class="mono">' + esc(o.orderId) + '</span>', esc(o.origin), fmt(o.setpointW), when(o.receivedAt), (o.decidedAt - o.receivedAt) + ' ms', o.accepted ? 'accepted: ' + o.eventIds.length + ' events' + (o.allocatedBy ? ', allocated by ' + esc(o.allocatedBy) : '') : 'refused: ' + esc(o.reason || '')]), [2]) : 'none';
    const held = ledger.quarantined || [];
    $('quarantine').innerHTML = held.length ? table(['feed offset', 'kind', 'since', 'reason'], held.map((q) => [String(q.offset), esc(q.kind), when(q.at), esc(q.reason)]), [0]) : 'none';
    $('blocks').innerHTML = '<p>' + (v.ok ? '<span class="badge ok">chain verified</span> ' : '<span class="badge bad">verification failed</span> ') + 'height ' + ledger.height + ', checked at height ' + v.checkedAtHeight + (v.ok ? '' : '<br>' + v.problems.slice(0, 5).map(esc).join('<br>')) + '</p>' +
      (ledger.blocks.some((b) => b.endorsers)
        ? table(['block', 'hash', 'previous', 'transactions', 'endorsed by', 'time'], ledger.blocks.map((b) => [String(b.number), '<span class="mono">' + esc(b.hash.slice(0, 16)) + '…</span>', '<span class="mono">' + esc(b.prevHash.slice(0, 16)) + '…</span>', String(b.transactions), esc((b.endorsers || []).join(', ') || '—'), b.timestampMs ? when(b.timestampMs) : '—']), [0, 3])
        : table(['block', 'hash', 'previous', 'transactions', 'time'], ledger.blocks.map((b) => [String(b.number), '<span class="mono">' + esc(b.hash.slice(0, 16)) + '…</span>', '<span class="mono">' + esc(b.prevHash.slice(0, 16)) + '…</span>', String(b.transactions), when(b.timestampMs)]), [0, 3]));
  }

  // ——— The bridge: each upstream event, its version and the events derived from it ———
  async function loadUpstream() {
    const upstream = await get('/api/upstream-events');
    $('upstream').innerHTML = upstream.length ? table(['upstream event', 'from', 'version', 'status', 'opt', 'derived events', 'shared by', 'updated'], upstream.map((u) => [
      '<span class="mono">' + esc(u.upstreamId) + '</span>', esc(u.protocol + ' ' + u.upstreamUrl), String(u.modificationNumber), esc(u.status), esc(u.opt),
      u.derivedEventIds.length ? u.derivedEventIds.map((id) => '<span class="mono">' + esc(id) + '</span>').join('<br>') : '—', esc(u.allocatedBy), when(u.updatedAt)]), [2]) : 'none (no upstream VTN, or no event from it yet)';
  }

  // ——— Live: follow the feed, refresh what is on the page ———
  async function refresh() {
    const ledger = await get('/api/ledger').catch(() => null);
    if (ledger && ledger.timeZone) zone = ledger.timeZone;
    await loadPrograms();
    await Promise.all([loadEvents(), loadVens(), loadEventDetail(), loadVenDetail(), loadUpstream()]);
    renderLedger(ledger);
    $('live').textContent = 'live — updated ' + new Date().toLocaleTimeString();
    $('logout').hidden = !sessionStorage.getItem(TOKEN_KEY);
    document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
  }
  let pending = null;
  function soon() {
    if (pending) return;
    pending = setTimeout(() => { pending = null; refresh().catch((e) => { $('live').textContent = 'error: ' + e.message; }); }, 150);
  }
  let following = false;
  async function follow() {
    if (following) return;
    following = true;
    let after = 0;
    for (;;) {
      try {
        const r = await get('/api/feed?after=' + after + '&limit=1000&waitMs=20000');
        if (r.entries.length) { after = r.next; soon(); }
      } catch (e) {
        $('live').textContent = 'reconnecting: ' + e.message;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
  }
  let started = false;
  async function start() {
    try {
      await loadSignalChoices();
      await loadPrograms();
      if (!editing) resetEditor();
      await refresh();
      follow();
      if (!started) { started = true; setInterval(soon, 5000); } // the ledger grows without feed entries too (settlements)
    } catch (e) {
      $('live').textContent = 'error: ' + e.message;
    }
  }
  start();
})();
