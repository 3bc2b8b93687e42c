// The part of xmpp.js (@xmpp/client 0.14, untyped JavaScript) that FlexBridge uses.
declare module '@xmpp/xml' {
  export class Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    getChild(name: string, ns?: string): Element | undefined;
    getChildElements(): Element[];
    append(child: Element | string): Element;
    toString(): string;
  }
  export function xml(name: string, attrs?: Record<string, string | undefined>, ...children: (Element | string)[]): Element;
}

declare module '@xmpp/xml/lib/parse.js' {
  import type { Element } from '@xmpp/xml';
  export default function parse(data: string): Element;
}

declare module '@xmpp/tls/lib/Connection.js' {
  export default class ConnectionTLS {
    socketParameters(service: string): { port: number; host: string } | undefined;
  }
}

declare module '@xmpp/client' {
  import type { Element } from '@xmpp/xml';
  export { xml } from '@xmpp/xml';
  export interface Jid { local: string; domain: string; resource: string; bare(): Jid; toString(): string }
  export interface IqContext { stanza: Element; element: Element; from: Jid }
  export interface XmppClient {
    jid?: Jid;
    status: string;
    transports: unknown[];
    start(): Promise<Jid>;
    stop(): Promise<void>;
    disconnect(): Promise<void>;
    send(stanza: Element): Promise<void>;
    on(event: 'online', listener: (address: Jid) => void): void;
    on(event: 'offline', listener: () => void): void;
    on(event: 'error', listener: (error: Error) => void): void;
    on(event: 'status', listener: (status: string) => void): void;
    on(event: 'stanza', listener: (stanza: Element) => void): void;
    iqCaller: { request(stanza: Element, timeoutMs?: number): Promise<Element> };
    iqCallee: {
      set(ns: string, name: string, handler: (ctx: IqContext) => Promise<Element | undefined> | Element | undefined): void;
      get(ns: string, name: string, handler: (ctx: IqContext) => Promise<Element | undefined> | Element | undefined): void;
    };
    reconnect: { delay: number; stop(): void; scheduleReconnect(): void };
  }
  export function client(options: { service: string; domain: string; username: string; password: string; resource?: string }): XmppClient;
  export function jid(address: string): Jid;
}
