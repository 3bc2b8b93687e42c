import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { COT } from './codec/cause.js';
import { Iec104CommandError } from './errors.js';
import { ControllingStation } from './station/controlling-station.js';
import { valueOf, type Asdu } from './codec/asdu.js';
import { cp56ToEpochMs } from './codec/cp56time2a.js';

const USAGE = `usage: flexbridge iec104 --host H --port P [--ca N] [--tls-key F --tls-cert F --tls-ca F] ACTION
actions:
  interrogate               general interrogation; prints every object
  clock                     clock synchronisation with this machine's time
  setpoint IOA VALUE        short-float setpoint (C_SE_NC_1; --time-tag for C_SE_TC_1, --select for select-before-operate)
  watch SECONDS             prints every ASDU received for SECONDS`;

/** One line per ASDU, for people and for scripts. */
function line(asdu: Asdu): string {
  const objects = asdu.objects.map((o) => {
    const time = 'time' in o ? new Date(cp56ToEpochMs(o.time)).toISOString() : undefined;
    const value = valueOf(o);
    return { ioa: o.ioa, ...(value === undefined ? {} : { value }), ...(time ? { time } : {}) };
  });
  return JSON.stringify({ type: asdu.type, cause: asdu.cause, negative: asdu.negative, commonAddress: asdu.commonAddress, objects });
}

/** `flexbridge iec104 …`: a controlling station for operators and tests. */
export async function runIec104(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: '2404' }, ca: { type: 'string', default: '1' },
        'tls-key': { type: 'string' }, 'tls-cert': { type: 'string' }, 'tls-ca': { type: 'string' },
        select: { type: 'boolean', default: false }, 'time-tag': { type: 'boolean', default: false }, help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, ...rest] = positionals;
  if (values.help || !action) { console.log(USAGE); return values.help ? 0 : 2; }
  const tlsFiles = [values['tls-key'], values['tls-cert'], values['tls-ca']];
  if (tlsFiles.some(Boolean) && !tlsFiles.every(Boolean)) { console.error('TLS needs --tls-key, --tls-cert and --tls-ca together'); return 2; }
  const commonAddress = Number(values.ca);
  const master = await ControllingStation.connect({
    host: values.host, port: Number(values.port),
    ...(values['tls-key'] ? { tls: { key: readFileSync(values['tls-key']), cert: readFileSync(values['tls-cert']!), ca: readFileSync(values['tls-ca']!) } } : {}),
    onAsdu: (asdu) => { if (action === 'watch') console.log(line(asdu)); },
  });
  try {
    switch (action) {
      case 'interrogate':
        for (const o of await master.interrogate(commonAddress)) console.log(JSON.stringify({ type: o.type, ioa: o.ioa, value: valueOf(o) }));
        return 0;
      case 'clock':
        await master.clockSync(commonAddress, Date.now());
        console.log('clock synchronised');
        return 0;
      case 'setpoint': {
        const [ioa, value] = rest.map(Number);
        if (!Number.isInteger(ioa) || !Number.isFinite(value)) { console.error(USAGE); return 2; }
        await master.setpoint({ commonAddress, ioa: ioa!, value: value!, selectBeforeOperate: values.select, ...(values['time-tag'] ? { timeTag: Date.now() } : {}) });
        console.log(`setpoint ${value} on IOA ${ioa} confirmed (cause ${COT.activationCon})`);
        return 0;
      }
      case 'watch':
        await new Promise((r) => setTimeout(r, Number(rest[0] ?? 10) * 1000));
        return 0;
      default:
        console.error(USAGE);
        return 2;
    }
  } catch (error) {
    if (!(error instanceof Iec104CommandError)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    await master.close();
  }
}
