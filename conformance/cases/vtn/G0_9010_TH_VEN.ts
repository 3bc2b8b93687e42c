import { vtnCase } from './scenarios/common.js';
import { cipherAndCertificates } from './scenarios/general.js';

export default vtnCase({
  id: 'G0_9010_TH_VEN', delivery: 'push',
  title: 'Security - Cipher and X.509 Cert support',
  requirement: 'The VTN negotiates TLS 1.2 with an OpenADR Alliance suite, presents a certificate from the CA, and refuses a client without a certificate.',
  run: cipherAndCertificates,
});
