// The OpenADR 2.0b binding facts shared by every transport: TLS profile, simple HTTP addresses,
// and which service carries which VTN payload. Pure: no sockets are opened here.
export { OPENADR_CIPHERS, OPENADR_SUITES, serverTlsOptions, clientTlsOptions, peerCertificateSha256, type TlsMaterial, type ClientTlsMaterial } from './tls.js';
export { SIMPLE_HTTP_PATH, serviceUrl, serviceOfPath } from './simple-http.js';
export { SERVICE_OF_VTN_PAYLOAD } from './services.js';
