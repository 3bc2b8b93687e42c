import { connect, type Socket } from 'node:net';
import { decodeAsdu, splitFrames, type Asdu } from '../../iec104/index.js';
import { Iec104Link } from '../../iec104/link/link.js';

/** Polls `probe` until it holds (a condition, not a timing assertion). */
export async function until(probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A controlling side made of our link layer over a real TCP connection, data transfer started. */
export async function iec104Controlling(port: number): Promise<{ link: Iec104Link; socket: Socket; received: Asdu[]; ended: Promise<void> }> {
  const received: Asdu[] = [];
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const link = new Iec104Link({ role: 'controlling' }, { write: (f) => socket.write(f), deliver: (a) => received.push(decodeAsdu(a)), close: () => socket.destroy() });
  let buffer = Buffer.alloc(0);
  socket.on('data', (c: Buffer) => {
    buffer = Buffer.concat([buffer, c]);
    const { frames, rest } = splitFrames(buffer);
    buffer = Buffer.from(rest);
    for (const f of frames) link.receive(f);
  });
  const ended = new Promise<void>((resolve) => socket.once('close', () => { link.dispose(); resolve(); }));
  link.start();
  await until(() => link.isActive);
  return { link, socket, received, ended };
}
