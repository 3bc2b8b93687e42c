import { vtnCase } from './scenarios/common.js';
import { tamperedSignature } from './scenarios/general.js';

export default vtnCase({
  id: 'XS_0030_TH_VEN', delivery: 'pull',
  title: 'FlexBridge security - tampered XML signature',
  requirement: 'A VEN registered with oadrXmlSignature sends a signed payload altered after signing: refused with 463; the untampered one is served.',
  run: tamperedSignature,
});
