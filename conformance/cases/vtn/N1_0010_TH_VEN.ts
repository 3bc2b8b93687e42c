import { vtnCase } from './scenarios/common.js';
import { queryUnregistered } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0010_TH_VEN', delivery: 'pull',
  title: 'VEN Registration - Query',
  requirement: 'An unregistered VEN\'s oadrQueryRegistration is answered with oadrCreatedPartyRegistration 200 naming the vtnID and the 2.0b profile with the VEN\'s transport, and no registrationID.',
  run: queryUnregistered,
});
