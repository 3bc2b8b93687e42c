import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTlsVtn, type RunningVtn } from '../../test/support/vtn-harness.js';

describe('operator API: liveness and readiness', () => {
  let running: RunningVtn | undefined;
  afterAll(() => running?.vtn.stop());

  it('answers /readyz with each check, and 503 naming the failed one when the store stops answering', async () => {
    running = await startTlsVtn(mkdtempSync(join(tmpdir(), 'vtn-ready-')));
    expect((await fetch(`${running.apiUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${running.apiUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { store: { ok: true }, oadr: { ok: true } } });
    // The store's file is gone from under the VTN (closed): not ready, and it says why.
    running.vtn.store.close();
    const broken = await fetch(`${running.apiUrl}/readyz`);
    expect(broken.status).toBe(503);
    expect(await broken.json()).toMatchObject({ status: 'not ready', checks: { store: { ok: false, detail: expect.stringMatching(/not open/) }, oadr: { ok: true } } });
  });
});
