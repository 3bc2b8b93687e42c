import { vtnCase } from './scenarios/common.js';
import { foreignVenId } from './scenarios/general.js';

export default vtnCase({
  id: 'XS_0010_TH_VEN', delivery: 'pull',
  title: 'FlexBridge security - venID of another VEN',
  requirement: 'A payload naming another registered VEN\'s venID is refused with 463 (the venID is bound to the certificate or XMPP account).',
  run: foreignVenId,
});
