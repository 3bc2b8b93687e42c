import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls, type TLSSocket } from 'node:tls';
import { decodeAsdu, encodeAsdu, type Asdu, type InformationObject, type TypeName } from '../codec/asdu.js';
import { cp56FromDate } from '../codec/cp56time2a.js';
import { realScheduler, type LinkOptions, type LinkScheduler } from '../link/link.js';
import { attachLink, type SocketLink } from '../transport/socket-link.js';
import { refusePeer, tlsClientOptions, type Iec104Tls } from '../transport/tls.js';
import { COT } from '../codec/cause.js';
import { Iec104CommandError } from '../errors.js';
import type { Logger } from '../../src/logger.js';

export interface ControllingStationOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: Iec104Tls;
  /** t0: time to establish the connection (TCP and TLS) (default 30 s). */
  readonly t0Ms?: number;
  readonly link?: Omit<LinkOptions, 'role'>;
  readonly originator?: number;
  /** A command not confirmed (and, where due, terminated) within this fails (default 15 s). */
  readonly commandTimeoutMs?: number;
  readonly logger?: Logger;
  readonly scheduler?: LinkScheduler;
  /** Listens from the first ASDU on (data may arrive with the STARTDT confirmation). */
  readonly onAsdu?: (asdu: Asdu) => void;
}


interface Pending {
  readonly terminate: boolean;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
  confirmed: boolean;
}

export interface SetpointCommand {
  readonly commonAddress: number;
  readonly ioa: number;
  /** Short floating point value (C_SE_NC_1, or C_SE_TC_1 with `timeTag`). */
  readonly value: number;
  /** Send C_SE_TC_1 with this time tag (epoch ms, UTC). */
  readonly timeTag?: number;
  /** Select before operate: a select, its confirmation, then the execute. */
  readonly selectBeforeOperate?: boolean;
  /**
   * Also wait for the activation termination. The standard leaves it to the station: ours sends it
   * once the order became DR events; lib60870-based stations (c104) confirm only.
   */
  readonly awaitTermination?: boolean;
}

/** Which objects a general interrogation returned, with the type each came in. */
export type InterrogatedObject = InformationObject & { readonly type: TypeName };

/**
 * The controlling station (master) of one connection: connects within t0, starts data transfer,
 * and offers interrogation, clock synchronisation and setpoint commands that resolve on the
 * station's confirmation and termination. Monitoring ASDUs reach `onAsdu` listeners.
 */
export class ControllingStation {
  private readonly listeners = new Set<(asdu: Asdu) => void>();
  private readonly pending = new Map<string, Pending>();
  private interrogation: { objects: InterrogatedObject[] } | undefined;
  private closedReason: string | undefined;
  readonly closed: Promise<string>;

  private constructor(private readonly connection: SocketLink, private readonly options: ControllingStationOptions, closed: Promise<string>) {
    this.closed = closed.then((reason) => {
      this.closedReason = reason;
      for (const [key, p] of this.pending) { clearTimeout(p.timer); p.reject(new Iec104CommandError(`connection closed (${reason}) before ${key} completed`)); }
      this.pending.clear();
      return reason;
    });
  }

  static async connect(options: ControllingStationOptions): Promise<ControllingStation> {
    const t0 = options.t0Ms ?? 30_000;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const tls = options.tls;
      const s: Socket = tls
        ? connectTls({ ...tlsClientOptions(tls), host: options.host, port: options.port })
        : connectTcp(options.port, options.host);
      const timer = setTimeout(() => { s.destroy(); reject(new Error(`t0 expired: no connection to ${options.host}:${options.port} within ${t0} ms`)); }, t0);
      s.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        const refusal = tls ? refusePeer(s as TLSSocket, tls) : undefined;
        if (refusal) { s.destroy(); reject(new Error(refusal)); return; }
        resolve(s);
      });
      s.once('error', (error) => { clearTimeout(timer); reject(error); });
    });
    let station: ControllingStation | undefined;
    let onClosed: (reason: string) => void = () => undefined;
    const closed = new Promise<string>((resolve) => { onClosed = resolve; });
    let onStarted: (active: boolean) => void = () => undefined;
    const connection = attachLink(socket, { ...options.link, role: 'controlling' }, {
      deliver: (c, bytes) => station?.receive(c, bytes),
      started: (_c, active) => onStarted(active),
      closed: (_c, reason) => { options.logger?.warn('IEC 104 connection closed', { reason }); onClosed(reason); },
    }, options.scheduler ?? realScheduler);
    station = new ControllingStation(connection, options, closed);
    if (options.onAsdu) station.onAsdu(options.onAsdu);
    await new Promise<void>((resolve, reject) => {
      onStarted = (active) => { if (active) resolve(); };
      void closed.then((reason) => reject(new Error(`connection closed before STARTDT was confirmed: ${reason}`)));
      connection.link.start();
    });
    return station;
  }

  get isOpen(): boolean {
    return this.closedReason === undefined;
  }

  /** Listens to every ASDU received (monitoring data and command answers); returns the unsubscribe. */
  onAsdu(listener: (asdu: Asdu) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends any ASDU as is (tests and tools). */
  send(asdu: Asdu): void {
    this.connection.link.send(encodeAsdu(asdu));
  }

  /** General (station) interrogation: resolves with the objects reported between confirmation and termination. */
  async interrogate(commonAddress: number, qualifier = 20): Promise<InterrogatedObject[]> {
    if (this.interrogation) throw new Iec104CommandError('an interrogation is already running');
    const collected = { objects: [] as InterrogatedObject[] };
    this.interrogation = collected;
    try {
      await this.command({ type: 'C_IC_NA_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: this.originator, commonAddress, objects: [{ ioa: 0, qualifier }] }, true);
      return collected.objects;
    } finally {
      this.interrogation = undefined;
    }
  }

  /** Clock synchronisation with the given instant (UTC). */
  async clockSync(commonAddress: number, epochMs: number): Promise<void> {
    await this.command({ type: 'C_CS_NA_1', sequence: false, cause: COT.activation, negative: false, test: false, originator: this.originator, commonAddress, objects: [{ ioa: 0, time: cp56FromDate(epochMs) }] }, false);
  }

  /** A short-float setpoint; resolves once the station confirmed it (and terminated it, if asked). */
  async setpoint(command: SetpointCommand): Promise<void> {
    const header = { sequence: false, cause: COT.activation, negative: false, test: false, originator: this.originator, commonAddress: command.commonAddress };
    const timeTag = command.timeTag;
    const asdu = (select: boolean): Asdu => (timeTag === undefined
      ? { ...header, type: 'C_SE_NC_1', objects: [{ ioa: command.ioa, value: command.value, qualifier: 0, select }] }
      : { ...header, type: 'C_SE_TC_1', objects: [{ ioa: command.ioa, value: command.value, qualifier: 0, select, time: cp56FromDate(timeTag) }] });
    if (command.selectBeforeOperate) await this.command(asdu(true), false);
    await this.command(asdu(false), command.awaitTermination === true);
  }

  /** Closes the connection (pending commands fail). */
  async close(): Promise<void> {
    if (this.closedReason === undefined) this.connection.close('closed by the controlling station');
    await this.closed;
  }

  private get originator(): number {
    return this.options.originator ?? 0;
  }

  private command(asdu: Asdu, terminate: boolean): Promise<void> {
    if (this.closedReason !== undefined) return Promise.reject(new Iec104CommandError(`connection closed: ${this.closedReason}`));
    const key = `${asdu.type}/${asdu.commonAddress}/${asdu.objects[0]?.ioa ?? 0}`;
    if (this.pending.has(key)) return Promise.reject(new Iec104CommandError(`${key} is already waiting for its answer`));
    return new Promise<void>((resolve, reject) => {
      const timeout = this.options.commandTimeoutMs ?? 15_000;
      const timer = setTimeout(() => { this.pending.delete(key); reject(new Iec104CommandError(`${key} not answered within ${timeout} ms`)); }, timeout);
      this.pending.set(key, { terminate, resolve, reject, timer, confirmed: false });
      this.send(asdu);
    });
  }

  private receive(connection: SocketLink, bytes: Buffer): void {
    let asdu: Asdu;
    try {
      asdu = decodeAsdu(bytes);
    } catch (error) {
      connection.close(`malformed ASDU: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const key = `${asdu.type}/${asdu.commonAddress}/${asdu.objects[0]?.ioa ?? 0}`;
    const pending = this.pending.get(key);
    if (pending) this.answer(key, pending, asdu);
    else if (this.interrogation && asdu.cause >= COT.interrogated && asdu.cause <= COT.interrogatedGroup16) {
      for (const o of asdu.objects) this.interrogation.objects.push({ ...o, type: asdu.type });
    }
    for (const listener of this.listeners) listener(asdu);
  }

  private answer(key: string, pending: Pending, asdu: Asdu): void {
    const done = (error?: Error): void => {
      clearTimeout(pending.timer);
      this.pending.delete(key);
      if (error) pending.reject(error);
      else pending.resolve();
    };
    if (asdu.negative) return done(new Iec104CommandError(`${key} refused (cause ${asdu.cause})`, asdu.cause));
    if (asdu.cause === COT.activationCon) {
      pending.confirmed = true;
      if (!pending.terminate) done();
    } else if (asdu.cause === COT.activationTerm) {
      done(pending.confirmed ? undefined : new Iec104CommandError(`${key} terminated without confirmation`));
    }
  }
}
