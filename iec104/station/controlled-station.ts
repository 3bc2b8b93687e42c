import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { decodeAsdu, encodeAsdu, GOOD, type Asdu, type AsduOf, type InformationObject } from '../codec/asdu.js';
import { cp56FromDate, cp56ToEpochMs } from '../codec/cp56time2a.js';
import { Iec104CodecError, Iec104ProtocolViolation } from '../errors.js';
import { realScheduler, type LinkOptions, type LinkScheduler } from '../link/link.js';
import { attachLink, type SocketLink } from '../transport/socket-link.js';
import { refusePeer, tlsServerOptions, type Iec104Tls } from '../transport/tls.js';
import type { Logger } from '../../src/logger.js';
import type { Clock } from '../../src/clock.js';

/** Causes of transmission used here (IEC 60870-5-101 §7.2.3). */
import { COT } from '../codec/cause.js';

export interface Measurement {
  readonly ioa: number;
  /** Power in W (sent as short floating point). */
  readonly value: number;
}

export interface SetpointOrder {
  readonly ioa: number;
  readonly value: number;
  /** When the order was received (station clock, epoch ms). */
  readonly receivedAt: number;
  /** The time tag a C_SE_TC_1 carried (epoch ms, read as UTC). */
  readonly taggedAt?: number;
  readonly peer: string;
}

/**
 * Masters sharing one redundancy group: at most one of their connections is in data transfer, and
 * data for the group waits for it (IEC 60870-5-104 Ed.2 §10). `peers` lists the IP addresses
 * that belong to the group; a group without `peers` takes any address not listed elsewhere.
 */
export interface RedundancyGroup {
  readonly name: string;
  readonly peers?: readonly string[];
}

export interface ControlledStationOptions {
  readonly host: string;
  readonly port: number;
  readonly commonAddress: number;
  /** The station's measurements (the UVAM's aggregate power), read at each send. */
  readonly measurements: () => readonly Measurement[];
  /** Cyclic transmission period (Terna UVAM: 4 s). */
  readonly periodMs: number;
  /** A setpoint order the station accepts (returns true) or refuses; runs before the confirmation. */
  readonly onSetpoint: (order: SetpointOrder) => Promise<boolean> | boolean;
  readonly setpointIoas: readonly number[];
  /** Setpoints outside [min, max] W are refused with a negative confirmation (default: any finite value). */
  readonly setpointRange?: { readonly min: number; readonly max: number };
  /** Without groups every connection is its own group (each master gets all data). */
  readonly redundancyGroups?: readonly RedundancyGroup[];
  /** Spontaneous ASDUs kept per group while none of its connections is active (default 1,000). */
  readonly backlogLimit?: number;
  /** A selection not followed by its execute within this time lapses (default 10 s). */
  readonly selectTimeoutMs?: number;
  /** TCP connect to TLS established (and, without TLS, to STARTDT) within this, or closed (default 30 s). */
  readonly t0Ms?: number;
  readonly tls?: Iec104Tls;
  readonly link?: Omit<LinkOptions, 'role'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scheduler?: LinkScheduler;
}

interface Group {
  readonly name: string;
  readonly peers: readonly string[] | undefined;
  active: SocketLink | undefined;
  backlog: Buffer[];
}

interface Selection {
  readonly value: number;
  readonly until: number;
  readonly connection: SocketLink;
}

export interface ConnectionStatus {
  readonly peer: string;
  readonly group: string;
  readonly active: boolean;
  /** Bytes written to the socket and not yet taken by the peer (back-pressure). */
  readonly unsentBytes: number;
}


/**
 * A controlled station (outstation) for a UVAM: answers general interrogation and clock
 * synchronisation, accepts setpoint orders (C_SE_NC_1, C_SE_TC_1, optionally select-before-operate),
 * and sends its measurements cyclically with time tags to the active connection of each redundancy
 * group, over TCP or TLS.
 */
export class ControlledStation {
  private readonly server: Server;
  private readonly groups: Group[] = [];
  private readonly connections = new Map<SocketLink, { peer: string; group: Group }>();
  private cyclic: NodeJS.Timeout | undefined;
  private readonly selected = new Map<number, Selection>();
  private clockOffsetMs = 0;
  private readonly counts = { accepted: 0, refused: 0, closed: 0, t1Expiries: 0, ordersAccepted: 0, ordersRefused: 0 };

  constructor(private readonly options: ControlledStationOptions) {
    for (const g of options.redundancyGroups ?? []) this.groups.push({ name: g.name, peers: g.peers, active: undefined, backlog: [] });
    const tls = options.tls;
    this.server = tls
      ? createTlsServer({ ...tlsServerOptions(tls), handshakeTimeout: options.t0Ms ?? 30_000 }, (socket) => {
        const refusal = refusePeer(socket, tls);
        if (refusal) return this.refuse(socket, refusal);
        this.accept(socket);
      })
      : createServer((socket) => this.accept(socket));
    this.server.on('tlsClientError', (error: Error, socket: TLSSocket) => {
      options.logger.warn('IEC 104 TLS handshake refused', { peer: `${socket.remoteAddress}:${socket.remotePort}`, reason: error.message });
    });
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => { this.server.once('error', reject); this.server.listen(this.options.port, this.options.host, () => resolve()); });
    this.cyclic = setInterval(() => this.sendMeasurements(COT.periodic), this.options.periodMs);
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    clearInterval(this.cyclic);
    for (const connection of this.connections.keys()) connection.close('station shutting down');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** What the station has done since it started, and its connections now (for metrics). */
  stats(): StationStats {
    let activeLinks = 0;
    for (const connection of this.connections.keys()) if (connection.link.isActive) activeLinks++;
    return { ...this.counts, connections: this.connections.size, activeLinks };
  }

  /** Sends the measurements now (spontaneous), e.g. on a significant change. */
  sendSpontaneous(): void {
    this.sendMeasurements(COT.spontaneous);
  }

  /** The station's clock as last set by a clock synchronisation command (epoch ms). */
  now(): number {
    return this.options.clock.now() + this.clockOffsetMs;
  }

  status(): ConnectionStatus[] {
    return [...this.connections].map(([c, { peer, group }]) => ({ peer, group: group.name, active: c.link.isActive, unsentBytes: c.socket.writableLength }));
  }

  private refuse(socket: Socket, reason: string): void {
    this.counts.refused++;
    this.options.logger.warn('refusing IEC 104 connection', { peer: `${socket.remoteAddress}:${socket.remotePort}`, reason });
    socket.destroy();
  }

  private groupFor(address: string): Group | undefined {
    if (this.options.redundancyGroups === undefined) return { name: `connection ${address}`, peers: undefined, active: undefined, backlog: [] };
    const bare = address.replace(/^::ffff:/, '');
    return this.groups.find((g) => g.peers?.includes(bare)) ?? this.groups.find((g) => g.peers === undefined);
  }

  private accept(socket: Socket): void {
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const group = this.groupFor(socket.remoteAddress ?? '');
    if (!group) return this.refuse(socket, 'address is in no redundancy group');
    const log = this.options.logger.child({ peer, group: group.name });
    // t0 also bounds a peer that connects and never starts data transfer.
    const t0 = setTimeout(() => { if (!connection.link.isActive) connection.close('t0 expired: no STARTDT'); }, this.options.t0Ms ?? 30_000);
    t0.unref();
    const connection = attachLink(socket, { ...this.options.link, role: 'controlled' }, {
      deliver: (c, bytes) => {
        void this.onAsdu(c, bytes).catch((error: unknown) => c.close(error instanceof Error ? error.message : String(error)));
      },
      started: (c, active) => { clearTimeout(t0); this.onStarted(c, group, active, log); },
      closed: (c, reason) => {
        clearTimeout(t0);
        this.counts.closed++;
        if (reason.startsWith('t1 expired')) this.counts.t1Expiries++;
        log.warn('IEC 104 connection closed', { reason });
        this.connections.delete(c);
        if (group.active === c) this.release(group, c);
      },
    }, this.options.scheduler ?? realScheduler);
    this.connections.set(connection, { peer, group });
    this.counts.accepted++;
    log.info('IEC 104 connection accepted', { tls: this.options.tls !== undefined });
  }

  private onStarted(connection: SocketLink, group: Group, active: boolean, log: Logger): void {
    if (!active) {
      if (group.active === connection) this.release(group, connection);
      return;
    }
    const previous = group.active;
    group.active = connection;
    if (previous && previous !== connection) {
      // The newest STARTDT wins; what the previous connection had not had acknowledged goes on here.
      previous.link.deactivate();
      // concat, not a spread: a backlog may hold more ASDUs than a call takes arguments.
      group.backlog = previous.link.drain().concat(group.backlog);
      this.trim(group);
      log.info('redundancy switch', { from: this.connections.get(previous)?.peer });
    }
    const waiting = group.backlog;
    group.backlog = [];
    for (const asdu of waiting) connection.link.send(asdu);
  }

  /** The group's active connection stopped or closed: keep its unacknowledged ASDUs for the next one. */
  private release(group: Group, connection: SocketLink): void {
    group.active = undefined;
    group.backlog = connection.link.drain().concat(group.backlog);
    this.trim(group);
  }

  private trim(group: Group): void {
    const limit = this.options.backlogLimit ?? 1_000;
    if (group.backlog.length > limit) {
      const dropped = group.backlog.length - limit;
      group.backlog.splice(0, dropped);
      this.options.logger.warn('IEC 104 backlog full: oldest ASDUs dropped', { group: group.name, dropped });
    }
  }

  private groupsInUse(): Group[] {
    if (this.options.redundancyGroups !== undefined) return this.groups;
    return [...new Set([...this.connections.values()].map((c) => c.group))];
  }

  /** Runs from a timer too: whatever fails is logged, nothing throws out of the process. */
  private sendMeasurements(cause: number): void {
    try {
      this.sendMeasurementsNow(cause);
    } catch (error) {
      this.options.logger.error('IEC 104 measurements not sent', { cause, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private sendMeasurementsNow(cause: number): void {
    const objects = this.measurementObjects();
    if (objects.length === 0) return;
    const asdu = encodeAsdu({ type: 'M_ME_TF_1', sequence: false, cause, negative: false, test: false, originator: 0, commonAddress: this.options.commonAddress, objects });
    for (const group of this.groupsInUse()) {
      if (group.active) group.active.link.send(asdu);
      else if (cause === COT.spontaneous && this.options.redundancyGroups !== undefined) {
        // Cyclic values are superseded by the next cycle; spontaneous ones wait for a master.
        group.backlog.push(asdu);
        this.trim(group);
      }
    }
  }

  private measurementObjects(): InformationObject<'M_ME_TF_1'>[] {
    const time = cp56FromDate(this.now());
    return this.options.measurements().map((m) => ({ ioa: m.ioa, time, ...measuredValue(m.value) }));
  }

  private reply(connection: SocketLink, asdu: Asdu): void {
    connection.link.send(encodeAsdu(asdu));
  }

  /** Answers a command with its own bytes and a new cause (the standard's mirror), whatever values it held. */
  private mirror(connection: SocketLink, bytes: Buffer, cause: number, negative = false): void {
    const echo = Buffer.from(bytes);
    echo[2] = (echo[2]! & 0x80) | (negative ? 0x40 : 0) | cause;
    connection.link.send(echo);
  }

  private async onAsdu(connection: SocketLink, bytes: Buffer): Promise<void> {
    let asdu: Asdu;
    try {
      asdu = decodeAsdu(bytes);
    } catch (error) {
      if (!(error instanceof Iec104CodecError)) throw error;
      // An unknown type is answered negatively with its own header echoed (cause 44), as the
      // standard asks; any other malformed ASDU ends the connection.
      if (error.reason === 'unknown-type' && bytes.length >= 6) {
        this.mirror(connection, bytes, COT.unknownType, true);
        this.options.logger.warn('unknown type ID answered negatively', { typeId: bytes[0] });
        return;
      }
      throw new Iec104ProtocolViolation(`malformed ASDU (${error.reason}): ${error.message}`);
    }
    const negative = (cause: number): void => this.mirror(connection, bytes, cause, true);
    const confirm = (cause: number): void => this.mirror(connection, bytes, cause);
    // The broadcast address (0xFFFF) is allowed for interrogation and clock synchronisation only
    // (IEC 60870-5-104 §7.2.4): never for a command that acts.
    const broadcastAllowed = asdu.type === 'C_IC_NA_1' || asdu.type === 'C_CS_NA_1';
    if (asdu.commonAddress !== this.options.commonAddress && !(asdu.commonAddress === 0xffff && broadcastAllowed)) return negative(COT.unknownCommonAddress);
    switch (asdu.type) {
      case 'C_IC_NA_1': {
        if (asdu.cause !== COT.activation) return negative(COT.unknownCause);
        confirm(COT.activationCon);
        // One type per point, as a SCADA database keeps it: the interrogation answers in the cyclic type.
        const objects = this.measurementObjects();
        if (objects.length) this.reply(connection, { type: 'M_ME_TF_1', sequence: false, cause: COT.interrogated, negative: false, test: false, originator: asdu.originator, commonAddress: this.options.commonAddress, objects });
        confirm(COT.activationTerm);
        return;
      }
      case 'C_CS_NA_1': {
        if (asdu.cause !== COT.activation) return negative(COT.unknownCause);
        const time = asdu.objects[0]?.time;
        if (time) this.clockOffsetMs = cp56ToEpochMs(time) - this.options.clock.now();
        this.options.logger.info('clock synchronisation', { offsetMs: this.clockOffsetMs });
        confirm(COT.activationCon);
        return;
      }
      case 'C_SE_NC_1':
      case 'C_SE_TC_1':
        return this.onSetpoint(connection, asdu, negative, confirm);
      default:
        return negative(COT.unknownType);
    }
  }

  private async onSetpoint(connection: SocketLink, asdu: AsduOf<'C_SE_NC_1'> | AsduOf<'C_SE_TC_1'>, negative: (cause: number) => void, confirm: (cause: number) => void): Promise<void> {
    const object = asdu.objects[0];
    if (!object || asdu.objects.length !== 1) throw new Iec104ProtocolViolation('a setpoint command carries exactly one object');
    if (!this.options.setpointIoas.includes(object.ioa)) return negative(COT.unknownIoa);
    const value = object.value;
    if (asdu.cause === COT.deactivation) {
      // Deactivation cancels a selection.
      this.selected.delete(object.ioa);
      confirm(COT.deactivationCon);
      return;
    }
    if (asdu.cause !== COT.activation) return negative(COT.unknownCause);
    const range = this.options.setpointRange;
    if (!Number.isFinite(value) || (range && (value < range.min || value > range.max))) {
      this.options.logger.warn('setpoint out of range refused', { ioa: object.ioa, value, range });
      return negative(COT.activationCon);
    }
    if (asdu.test) {
      // A test command is checked and confirmed, with its test bit mirrored, but not acted on.
      this.options.logger.info('test setpoint confirmed, not executed', { ioa: object.ioa, value });
      confirm(COT.activationCon);
      confirm(COT.activationTerm);
      return;
    }
    if (object.select === true) {
      this.selected.set(object.ioa, { value, until: this.options.clock.now() + (this.options.selectTimeoutMs ?? 10_000), connection });
      confirm(COT.activationCon);
      return;
    }
    const selection = this.selected.get(object.ioa);
    this.selected.delete(object.ioa);
    if (selection && (selection.connection !== connection || selection.value !== value || selection.until < this.options.clock.now())) {
      // An execute must match its own, still valid selection.
      this.options.logger.warn('setpoint execute does not match its selection', { ioa: object.ioa });
      return negative(COT.activationCon);
    }
    const peer = this.connections.get(connection)?.peer ?? 'unknown';
    const accepted = await this.options.onSetpoint({ ioa: object.ioa, value, receivedAt: this.options.clock.now(), ...('time' in object ? { taggedAt: cp56ToEpochMs(object.time) } : {}), peer });
    if (!accepted) {
      this.counts.ordersRefused++;
      return negative(COT.activationCon);
    }
    this.counts.ordersAccepted++;
    confirm(COT.activationCon);
    confirm(COT.activationTerm);
  }
}

export interface StationStats {
  /** Connections taken in, and refused (TLS peer not allowed, no redundancy group) since start. */
  readonly accepted: number;
  readonly refused: number;
  readonly closed: number;
  /** Connections closed because a frame went unacknowledged for t1. */
  readonly t1Expiries: number;
  /** Set-point orders executed and refused. */
  readonly ordersAccepted: number;
  readonly ordersRefused: number;
  /** Open connections now, and those whose link is started (STARTDT). */
  readonly connections: number;
  readonly activeLinks: number;
}

/** Largest magnitude a short floating point (IEEE 754 single) carries. */
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * A reading as a short floating point with its quality: beyond what the type carries it is clamped
 * and flagged overflow (QDS OV); a value that is no number at all is sent as 0 flagged invalid (IV).
 */
export function measuredValue(value: number): { value: number; quality: typeof GOOD & { overflow: boolean } } {
  if (Number.isNaN(value)) return { value: 0, quality: { ...GOOD, invalid: true, overflow: false } };
  if (value > FLOAT32_MAX) return { value: FLOAT32_MAX, quality: { ...GOOD, overflow: true } };
  if (value < -FLOAT32_MAX) return { value: -FLOAT32_MAX, quality: { ...GOOD, overflow: true } };
  return { value, quality: { ...GOOD, overflow: false } };
}
