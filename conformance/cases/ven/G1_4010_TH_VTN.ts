import { venCase } from './scenarios/common.js';
import { cipherAndCertificates } from './scenarios/general.js';

export default venCase({
  id: 'G1_4010_TH_VTN', delivery: 'pull',
  title: 'Security - Cipher and X.509 Cert support',
  requirement: 'Every connection the VEN opens to the VTN is TLS 1.2 with an OpenADR Alliance suite and the VEN\'s certificate from the CA.',
  run: cipherAndCertificates,
});
