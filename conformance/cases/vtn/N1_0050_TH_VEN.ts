import { vtnCase } from './scenarios/common.js';
import { vtnRequestsReregistration } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0050_TH_VEN', delivery: 'pull', needs: ['requestReregistration'],
  title: 'VTN Registration - Request Re-Registration',
  requirement: 'oadrRequestReregistration reaches the VEN; its re-registration with the registrationID succeeds and keeps the registration.',
  run: vtnRequestsReregistration,
});
