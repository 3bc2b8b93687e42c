import { CanonicalFormUnavailable, OadrParseError } from '../errors.js';
import { signWritten, verifyDocumentSignature, type SignOptions, type SigningIdentity, type VerifiedSignature, type VerifyOptions } from './signature.js';
import type { MessageOf, OadrMessage, OadrMessageType } from '../model/payloads.js';
import * as event from './event-codec.js';
import { NS } from './namespaces.js';
import * as opt from './opt-codec.js';
import * as registration from './registration-codec.js';
import * as report from './report-codec.js';
import { DEFAULT_READ_LIMITS, decodeUntrusted, parseXml, validatePayloadText, type ReadLimits } from './xml-document.js';
import { ElementReader } from './xml-reader.js';
import { createCanonicalSignedObject, createPayloadDocument, type ElementWriter, type PayloadDocument } from './xml-writer.js';

interface MessageCodec<T extends OadrMessageType> {
  read(r: ElementReader): MessageOf<T>;
  write(w: ElementWriter, m: MessageOf<T>): void;
}

// One row per oadrSignedObject child: the table is the whole mapping from element to model.
const CODECS: { readonly [T in OadrMessageType]: MessageCodec<T> } = {
  oadrQueryRegistration: { read: registration.readQueryRegistration, write: registration.writeQueryRegistration },
  oadrCreatePartyRegistration: { read: registration.readCreatePartyRegistration, write: registration.writeCreatePartyRegistration },
  oadrCreatedPartyRegistration: { read: registration.readCreatedPartyRegistration, write: registration.writeCreatedPartyRegistration },
  oadrCancelPartyRegistration: { read: registration.readCancelPartyRegistration, write: registration.writeCancelPartyRegistration },
  oadrCanceledPartyRegistration: { read: registration.readCanceledPartyRegistration, write: registration.writeCanceledPartyRegistration },
  oadrRequestReregistration: { read: registration.readRequestReregistration, write: registration.writeRequestReregistration },
  oadrRequestEvent: { read: event.readRequestEvent, write: event.writeRequestEvent },
  oadrDistributeEvent: { read: event.readDistributeEvent, write: event.writeDistributeEvent },
  oadrCreatedEvent: { read: event.readCreatedEvent, write: event.writeCreatedEvent },
  oadrRegisterReport: { read: report.readRegisterReport, write: report.writeRegisterReport },
  oadrRegisteredReport: { read: report.readRegisteredReport, write: report.writeRegisteredReport },
  oadrCreateReport: { read: report.readCreateReport, write: report.writeCreateReport },
  oadrCreatedReport: { read: report.readCreatedReport, write: report.writeCreatedReport },
  oadrUpdateReport: { read: report.readUpdateReport, write: report.writeUpdateReport },
  oadrUpdatedReport: { read: report.readUpdatedReport, write: report.writeUpdatedReport },
  oadrCancelReport: { read: report.readCancelReport, write: report.writeCancelReport },
  oadrCanceledReport: { read: report.readCanceledReport, write: report.writeCanceledReport },
  oadrCreateOpt: { read: opt.readCreateOpt, write: opt.writeCreateOpt },
  oadrCreatedOpt: { read: opt.readCreatedOpt, write: opt.writeCreatedOpt },
  oadrCancelOpt: { read: opt.readCancelOpt, write: opt.writeCancelOpt },
  oadrCanceledOpt: { read: opt.readCanceledOpt, write: opt.writeCanceledOpt },
  oadrPoll: { read: registration.readPoll, write: registration.writePoll },
  oadrResponse: { read: registration.readResponse, write: registration.writeResponse },
};

function codecFor<T extends OadrMessageType>(type: T): MessageCodec<T> {
  return CODECS[type];
}

function isMessageType(name: string): name is OadrMessageType {
  return Object.hasOwn(CODECS, name);
}

export interface ParseOptions {
  /** Validate against the official XSD set before reading (default true). */
  readonly validate?: boolean;
  readonly limits?: ReadLimits;
  /** Verify the XML signature and ReplayProtect too (before reading the message). */
  readonly signature?: Omit<VerifyOptions, 'limits'>;
}

export interface ParsedPayload {
  readonly message: OadrMessage;
  /** Whether the payload carried a ds:Signature. */
  readonly signed: boolean;
  /** Present when `signature` options were given and the payload was signed and verified. */
  readonly verifiedSignature?: VerifiedSignature;
}

/** Untrusted bytes or text → a typed 2.0b message, or a typed OadrError. */
export function parsePayload(input: string | Uint8Array, options: ParseOptions = {}): ParsedPayload {
  const validate = options.validate ?? true;
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  const text = decodeUntrusted(input, limits);
  let verifiedSignature: VerifiedSignature | undefined;
  const signature = options.signature;
  const root = new ElementReader(parseXml(text, {
    validate,
    ...(signature ? { inspect: (doc) => { verifiedSignature = verifyDocumentSignature(doc, { ...signature, limits }); } } : {}),
  }), 'oadrPayload');
  const signed = root.opt('ds', 'Signature') !== undefined;
  // Without validation we also accept a message placed directly under oadrPayload, as some peers send when unsigned.
  const holder = root.opt('oadr', 'oadrSignedObject') ?? (validate ? root.one('oadr', 'oadrSignedObject') : root);
  const element = holder.elements().find((e) => e.node.ns === NS.oadr && isMessageType(e.node.name));
  if (!element) {
    const found = holder.elements().map((e) => `{${e.node.ns}}${e.node.name}`).join(', ') || 'nothing';
    throw new OadrParseError('wrong-root', `oadrSignedObject holds ${found}; expected one of the 23 OpenADR 2.0b payloads`);
  }
  const type = element.node.name as OadrMessageType;
  const message = codecFor(type).read(new ElementReader(element.node, type));
  return verifiedSignature ? { message, signed, verifiedSignature } : { message, signed };
}

export interface SerializeOptions {
  /** Validate our own output against the XSD (default false: tests and tools turn it on). */
  readonly validate?: boolean;
}

/** A typed 2.0b message → an oadrPayload document (unsigned; signPayload adds the signature). */
export function serializePayload(message: OadrMessage, options: SerializeOptions = {}): string {
  return serializePayloadWith(createPayloadDocument, message, options);
}

/** serializePayload on any writer: the tests run it on the xmlbuilder2 writer this one replaced, to prove the bytes equal. */
export function serializePayloadWith(createDocument: () => PayloadDocument, message: OadrMessage, options: SerializeOptions = {}): string {
  const document = createDocument();
  document.signedObject.el('oadr', message.type, (w) => {
    w.attr('ei', 'schemaVersion', '2.0b');
    writeMessage(w, message);
  });
  const xml = document.end();
  if (options.validate) validatePayloadText(xml);
  return xml;
}

/**
 * The inclusive canonical form (C14N 1.0) of the oadrSignedObject serializePayload writes for this
 * message, written directly; undefined when a part needs the parser's canonicalisation (an opaque
 * Green Button fragment, a character XML forbids).
 */
export function canonicalSignedObject(message: OadrMessage): string | undefined {
  const document = createCanonicalSignedObject();
  try {
    document.signedObject.el('oadr', message.type, (w) => {
      w.attr('ei', 'schemaVersion', '2.0b');
      writeMessage(w, message);
    });
    return document.end();
  } catch (error) {
    if (error instanceof CanonicalFormUnavailable) return undefined;
    throw error;
  }
}

/** serializePayload, then signPayload — with our writer's canonical form, so the payload is not parsed back to be signed. */
export function serializeSignedPayload(message: OadrMessage, identity: SigningIdentity, options: SignOptions): string {
  const xml = serializePayload(message);
  return signWritten(xml, identity, options, (options.canonicalization ?? 'inclusive') === 'inclusive' ? canonicalSignedObject(message) : undefined);
}

function writeMessage<T extends OadrMessageType>(w: ElementWriter, message: MessageOf<T>): void {
  codecFor(message.type as T).write(w, message);
}
