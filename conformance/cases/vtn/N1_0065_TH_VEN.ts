import { vtnCase } from './scenarios/common.js';
import { reregistration } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0065_TH_VEN', delivery: 'pull',
  title: 'VEN Registration - Re-Registration',
  requirement: 'Re-registration naming the registrationID keeps it, and the VEN\'s METADATA is accepted again.',
  run: reregistration,
});
