import type { Socket } from 'node:net';
import { splitFrames } from '../codec/apci.js';
import { Iec104CodecError } from '../errors.js';
import { Iec104Link, realScheduler, type LinkOptions, type LinkScheduler } from '../link/link.js';

/** One IEC 104 connection: its link layer over its socket. */
export interface SocketLink {
  readonly link: Iec104Link;
  readonly socket: Socket;
  /** Closes the connection; the first reason given is the one reported. */
  close(reason: string): void;
}

/** What one side does with a connection. */
export interface SocketLinkHandlers {
  deliver(connection: SocketLink, asdu: Buffer): void;
  started?(connection: SocketLink, active: boolean): void;
  /** Called once, after the socket is gone; `reason` says who closed it and why. */
  closed(connection: SocketLink, reason: string): void;
}

/** Largest stream buffer kept while waiting for the rest of a frame (a frame is at most 255 bytes). */
const MAX_PENDING = 4096;
/** Above this many unsent bytes we stop reading the peer until our replies drain. */
const PAUSE_WRITTEN = 64 * 1024;
/** A peer that never reads while our cyclic data keeps coming is cut off here. */
const MAX_WRITTEN = 1024 * 1024;

/**
 * Binds an Iec104Link to a TCP or TLS socket: cuts the stream into frames, closes the socket when
 * the link fails (broken frame, sequence error, timer) and reports the reason exactly once.
 */
export function attachLink(socket: Socket, options: LinkOptions, handlers: SocketLinkHandlers, scheduler: LinkScheduler = realScheduler): SocketLink {
  // Small APDUs in a request/acknowledge rhythm: Nagle's algorithm with delayed ACKs would stall
  // every k-window for ~40 ms.
  socket.setNoDelay(true);
  let buffer: Buffer = Buffer.alloc(0);
  let reason: string | undefined;
  const close = (why: string): void => {
    reason ??= why;
    socket.destroy();
  };
  const link: Iec104Link = new Iec104Link(options, {
    write: (frame) => {
      if (socket.destroyed) return;
      socket.write(frame);
      // Back-pressure: a peer that does not read our answers gets no more answers computed for it.
      if (socket.writableLength > MAX_WRITTEN) close(`peer does not read: ${socket.writableLength} bytes unsent`);
      else if (socket.writableLength > PAUSE_WRITTEN && !socket.isPaused()) socket.pause();
    },
    deliver: (asdu) => handlers.deliver(connection, asdu),
    started: (active) => handlers.started?.(connection, active),
    close,
  }, scheduler);
  const connection: SocketLink = { link, socket, close };
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    try {
      const { frames, rest } = splitFrames(buffer);
      buffer = Buffer.from(rest);
      for (const frame of frames) {
        if (socket.destroyed) return;
        link.receive(frame);
      }
      if (buffer.length > MAX_PENDING) close('stream buffer overflow');
    } catch (error) {
      close(error instanceof Iec104CodecError ? `broken frame (${error.reason}): ${error.message}` : String(error));
    }
  });
  socket.on('drain', () => { if (socket.isPaused()) socket.resume(); });
  socket.on('error', (error: Error) => close(`socket error: ${error.message}`));
  socket.once('close', () => {
    link.dispose();
    handlers.closed(connection, reason ?? 'closed by peer');
  });
  return connection;
}
