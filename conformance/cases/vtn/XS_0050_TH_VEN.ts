import { vtnCase } from './scenarios/common.js';
import { unsignedFromSigner } from './scenarios/general.js';

export default vtnCase({
  id: 'XS_0050_TH_VEN', delivery: 'pull',
  title: 'FlexBridge security - unsigned payload from a signing VEN',
  requirement: 'A VEN registered with oadrXmlSignature that then sends an unsigned payload is refused with 463.',
  run: unsignedFromSigner,
});
