import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { splitFrames } from '../codec/apci.js';
import { decodeAsdu, encodeAsdu, GOOD, type Asdu, type InformationObject } from '../codec/asdu.js';
import { cp56FromDate } from '../codec/cp56time2a.js';
import { Iec104CodecError } from '../codec/errors.js';
import { Iec104Link, realScheduler, type LinkOptions, type LinkScheduler } from '../link/link.js';
import type { Logger } from '../../src/logger.js';
import type { Clock } from '../../src/clock.js';

/** Causes of transmission used here (IEC 60870-5-101 §7.2.3). */
export const COT = { periodic: 1, spontaneous: 3, activation: 6, activationCon: 7, activationTerm: 10, interrogated: 20, unknownType: 44, unknownCause: 45, unknownCommonAddress: 46, unknownIoa: 47 } as const;

export interface Measurement {
  readonly ioa: number;
  /** Power in W (sent as short floating point). */
  readonly value: number;
}

export interface SetpointOrder {
  readonly ioa: number;
  readonly value: number;
  readonly time?: number;
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
  readonly link?: Omit<LinkOptions, 'role'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly scheduler?: LinkScheduler;
}

/**
 * A controlled station (outstation) for a UVAM: answers general interrogation and clock
 * synchronisation, accepts setpoint orders (C_SE_NC_1, C_SE_TC_1, with select-before-operate),
 * and sends its measurements cyclically with time tags to every connection in data transfer.
 */
export class ControlledStation {
  private readonly server: Server;
  private readonly links = new Set<Iec104Link>();
  private readonly sockets = new Set<Socket>();
  private cyclic: NodeJS.Timeout | undefined;
  private readonly selected = new Map<number, number>();

  constructor(private readonly options: ControlledStationOptions) {
    this.server = createServer((socket) => this.accept(socket));
  }

  async listen(): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => { this.server.once('error', reject); this.server.listen(this.options.port, this.options.host, () => resolve()); });
    this.cyclic = setInterval(() => this.sendMeasurements(COT.periodic), this.options.periodMs);
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    clearInterval(this.cyclic);
    for (const link of this.links) link.dispose();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Sends the measurements now (spontaneous), e.g. on a significant change. */
  sendSpontaneous(): void {
    this.sendMeasurements(COT.spontaneous);
  }

  private accept(socket: Socket): void {
    let buffer = Buffer.alloc(0);
    const log = this.options.logger.child({ peer: `${socket.remoteAddress}:${socket.remotePort}` });
    const link: Iec104Link = new Iec104Link({ ...this.options.link, role: 'controlled' }, {
      write: (frame) => socket.write(frame),
      deliver: (asdu) => { void this.onAsdu(link, asdu).catch((error: unknown) => log.warn('ASDU handling failed', { error })); },
      close: (reason) => { log.warn('closing IEC 104 connection', { reason }); socket.destroy(); },
    }, this.options.scheduler ?? realScheduler);
    this.links.add(link);
    this.sockets.add(socket);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      try {
        const { frames, rest } = splitFrames(buffer);
        buffer = Buffer.from(rest);
        for (const frame of frames) link.receive(frame);
      } catch (error) {
        log.warn('closing IEC 104 connection', { reason: error instanceof Iec104CodecError ? error.message : String(error) });
        socket.destroy();
      }
    });
    socket.on('close', () => { link.dispose(); this.links.delete(link); this.sockets.delete(socket); });
    socket.on('error', () => socket.destroy());
  }

  private reply(link: Iec104Link, asdu: Asdu): void {
    link.send(encodeAsdu(asdu));
  }

  private sendMeasurements(cause: number): void {
    const objects: InformationObject[] = this.options.measurements().map((m) => ({ ioa: m.ioa, value: m.value, quality: { ...GOOD, overflow: false }, time: cp56FromDate(this.options.clock.now()) }));
    if (objects.length === 0) return;
    const asdu = encodeAsdu({ type: 'M_ME_TF_1', sequence: false, cause, negative: false, test: false, originator: 0, commonAddress: this.options.commonAddress, objects });
    for (const link of this.links) if (link.isActive) link.send(asdu);
  }

  private async onAsdu(link: Iec104Link, bytes: Buffer): Promise<void> {
    let asdu: Asdu;
    try {
      asdu = decodeAsdu(bytes);
    } catch (error) {
      // An unknown type ID is answered negatively with its own header echoed (cause 44).
      if (error instanceof Iec104CodecError && error.reason === 'unknown-type' && bytes.length >= 6) {
        const echo = Buffer.from(bytes);
        echo[2] = COT.unknownType | 0x40;
        link.send(echo);
        return;
      }
      throw error;
    }
    const negative = (cause: number): void => this.reply(link, { ...asdu, cause, negative: true });
    if (asdu.commonAddress !== this.options.commonAddress && asdu.commonAddress !== 0xffff) return negative(COT.unknownCommonAddress);
    switch (asdu.type) {
      case 'C_IC_NA_1': {
        if (asdu.cause !== COT.activation) return negative(COT.unknownCause);
        this.reply(link, { ...asdu, cause: COT.activationCon });
        const objects = this.options.measurements().map((m) => ({ ioa: m.ioa, value: m.value, quality: { ...GOOD, overflow: false } }));
        if (objects.length) this.reply(link, { type: 'M_ME_NC_1', sequence: false, cause: COT.interrogated, negative: false, test: false, originator: asdu.originator, commonAddress: this.options.commonAddress, objects });
        this.reply(link, { ...asdu, cause: COT.activationTerm });
        return;
      }
      case 'C_CS_NA_1':
        if (asdu.cause !== COT.activation) return negative(COT.unknownCause);
        this.options.logger.info('clock synchronisation', { time: asdu.objects[0]?.time });
        this.reply(link, { ...asdu, cause: COT.activationCon });
        return;
      case 'C_SE_NC_1':
      case 'C_SE_TC_1': {
        if (asdu.cause !== COT.activation) return negative(COT.unknownCause);
        const object = asdu.objects[0]!;
        if (!this.options.setpointIoas.includes(object.ioa)) return negative(COT.unknownIoa);
        const value = object.value as number;
        if (object.select === true) {
          // Select-before-operate: remember the selection, confirm, execute on the operate that follows.
          this.selected.set(object.ioa, value);
          this.reply(link, { ...asdu, cause: COT.activationCon });
          return;
        }
        const accepted = await this.options.onSetpoint({ ioa: object.ioa, value, ...(object.time ? { time: this.options.clock.now() } : {}) });
        this.selected.delete(object.ioa);
        this.reply(link, { ...asdu, cause: COT.activationCon, negative: !accepted });
        if (accepted) this.reply(link, { ...asdu, cause: COT.activationTerm });
        return;
      }
      default:
        return negative(COT.unknownType);
    }
  }
}
